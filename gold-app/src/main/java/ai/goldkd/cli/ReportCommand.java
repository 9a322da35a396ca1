package ai.goldkd.cli;

import ai.goldkd.gold.GoldReport;
import ai.goldkd.report.RunComparison;
import ai.goldkd.report.RunKind;
import ai.goldkd.report.RunRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code gold report DIR... [--out FILE.html]}: the report page of {@code gold run} over any runs,
 * finished or still going, of GOLD, distillation or {@code lm train}, seeds of one method grouped.
 */
final class ReportCommand {

    private static final String USAGE = """
            usage: gold report DIR... [--out FILE.html] [--title TEXT] [--replace]

              DIR        a run's folder (the --out of gold run, gold distill or gold lm train), or a folder of runs
              --out      the page to write (default report.html in the first DIR)
              --title    the page's title (default: the methods compared)
              --replace  write over an existing page (without it, an existing page is kept and nothing written)
            """;

    private ReportCommand() {}

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<Path> dirs = new ArrayList<>();
        int i = 0;
        while (i < args.length && !args[i].startsWith("--")) {
            dirs.add(Path.of(args[i++]));
        }
        Args a = new Args("report", Arrays.copyOfRange(args, i, args.length), Set.of("replace"));
        String out = a.string("out", null);
        String title = a.string("title", null);
        boolean replace = a.flag("replace");
        a.done(List.of("--out", "--title", "--replace"));
        if (dirs.isEmpty()) {
            throw new UsageException("report: give at least one run directory before the options\n" + USAGE);
        }
        Path html = out != null ? Path.of(out) : dirs.get(0).resolve("report.html");
        if (Files.isDirectory(html)) {
            throw new UsageException("report: --out " + html + " is a directory; give the HTML file to write, e.g. "
                    + html.resolve("report.html"));
        }
        if (Files.exists(html) && !replace) {
            throw new UsageException("report: " + html + " exists (an earlier report, perhaps gold run's); give --out"
                    + " another file, or --replace to write over it");
        }
        GoldReport report = new GoldReport(dirs);
        RunComparison c = report.comparison();
        for (RunRecord r : c.runs()) {
            System.out.println(
                    r.kind().command() + "  " + r.method() + " " + r.seedLabel() + "  " + r.status() + "  " + r.dir());
        }
        for (RunKind kind : c.kinds()) {
            System.out.println();
            System.out.println(c.summary(kind).printAll());
            c.comparisons(kind).forEach(v -> System.out.println(v.verdict(kind.unit())));
        }
        String pageTitle = title != null
                ? title
                : "Runs compared: "
                        + String.join(
                                ", ", c.methods().stream().map(m -> m.method()).toList());
        report.writeHtml(html, pageTitle, "gold report " + String.join(" ", args));
        System.out.println("report: " + html);
        return 0;
    }
}
