package ai.goldkd.report;

import ai.goldkd.stats.SeedComparison;
import ai.goldkd.stats.SeedSummary;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report page over a {@link RunComparison}: what made it (command, configs, date, machine), the
 * summary per method with its interval and seeds, a verdict per pair of methods, teacher cost, and the
 * charts at full width. plotly.js is inlined, so the page renders offline.
 */
public final class ReportPage {

    /** The GOLD runs' per-iteration charts: metric, title, y axis. */
    private static final List<String[]> GOLD_CHARTS = List.of(
            new String[] {"energy_p50", "Median energy of the OOD-validation batch", "energy (nats, lower = familiar)"},
            new String[] {"energy_p80", "80th energy percentile of the OOD-validation batch", "energy (nats)"},
            new String[] {
                "energy_spread",
                "Energy spread of the OOD-validation batch (90th - 10th percentile; near 0"
                        + " while the loop student scores everything alike)",
                "energy (nats)"
            },
            new String[] {
                "ood_rate",
                "OOD rate (share above a fixed energy threshold: the 90th percentile at" + " iteration K)",
                "share of batch"
            },
            new String[] {"student_accuracy", "Loop student's accuracy on the real test set", "accuracy (share)"},
            new String[] {"distinct2", "Distinct-2 of each iteration's samples", "distinct bigrams / bigrams"});

    /** The training runs' per-step charts: metric, title, y axis. */
    private static final List<String[]> TRAINING_CHARTS = List.of(
            new String[] {"train_loss", "Training loss", "loss (nats/token)"},
            new String[] {"divergence", "Divergence from the teacher", "divergence (nats/token)"},
            new String[] {"cross_entropy", "Cross-entropy on the training answers", "cross-entropy (nats/token)"},
            new String[] {"eval_score", "Validation cross-entropy (held-out loss)", "cross-entropy (nats/token)"},
            new String[] {
                "on_policy_fraction", "On-policy fraction (share of batches the student wrote)", "share of batches"
            },
            new String[] {"tokens_per_second", "Training throughput", "tokens/s"});

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff}
            main{max-width:1200px;margin:0 auto;padding:24px 32px 64px}
            h1{font-size:1.7em;margin:0 0 8px}
            h2{font-size:1.3em;margin:40px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            h3{font-size:1.05em;margin:24px 0 6px}
            .meta{color:#555;margin:2px 0}
            code{background:#f3f3f3;padding:1px 4px;border-radius:3px;font-size:92%}
            table{border-collapse:collapse;margin:8px 0 16px;font-size:92%}
            th,td{padding:4px 10px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
            th{border-bottom:2px solid #999}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            caption{text-align:left;font-weight:600;padding:4px 0}
            .gold-plot{width:100%;min-height:440px;margin:8px 0 24px}
            .verdicts li{margin:4px 0}
            .note{color:#555;font-size:92%}
            details{margin:8px 0}
            """;

    /** What the per-iteration and per-step charts draw. */
    private static final String BAND_NOTE = "<p class=\"note\">Lines: the mean over each method's seeds; shaded"
            + " band: the mean plus and minus one sample standard deviation over its seeds, where two seeds or"
            + " more logged the value (one seed has no band).</p>\n";

    private ReportPage() {}

    /**
     * Every chart of the page, in order.
     *
     * @param c the runs
     * @return the figures
     */
    public static List<Figure> figures(RunComparison c) {
        List<Figure> out = new ArrayList<>();
        for (RunKind kind : c.kinds()) {
            if (c.methods(kind).stream().anyMatch(m -> m.summary().isPresent())) {
                out.add(ComparisonCharts.headline(c, kind));
            }
        }
        TeacherCost.accuracyAgainstTokens(c).ifPresent(out::add);
        out.addAll(goldCharts(c));
        for (RunKind kind : c.kinds()) {
            ComparisonCharts.families(c, kind).ifPresent(out::add);
        }
        out.addAll(trainingCharts(c));
        return out;
    }

    private static List<Figure> goldCharts(RunComparison c) {
        List<Figure> out = new ArrayList<>();
        Table it = c.perIteration();
        for (String[] chart : GOLD_CHARTS) {
            ComparisonCharts.lines(c, it, "iteration", chart[0], chart[1], chart[2])
                    .ifPresent(out::add);
        }
        return out;
    }

    private static List<Figure> trainingCharts(RunComparison c) {
        List<Figure> out = new ArrayList<>();
        Table steps = c.perStep();
        for (String[] chart : TRAINING_CHARTS) {
            ComparisonCharts.lines(c, steps, "step", chart[0], chart[1], chart[2])
                    .ifPresent(out::add);
        }
        return out;
    }

    /**
     * Writes the page (to a temporary name, then renamed, so a reader never sees half a page).
     *
     * @param file the HTML file
     * @param title the page's title
     * @param c the runs
     * @param provenance what made it, when and where
     * @return the file
     */
    public static Path write(Path file, String title, RunComparison c, Provenance provenance) {
        Path base = file.toAbsolutePath().normalize().getParent();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(title))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style>\n")
                .append(Plotly.scriptTag())
                .append("\n</head><body><main>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"meta\">Written ")
                .append(esc(provenance.date()))
                .append(" on ")
                .append(esc(provenance.machine()))
                .append(".</p>\n");
        h.append("<p class=\"meta\">")
                .append(
                        provenance.command() == null
                                ? "Written from Java (GoldReport)."
                                : "Command: <code>" + esc(provenance.command()) + "</code>")
                .append("</p>\n");
        runs(h, c, base);
        for (RunKind kind : c.kinds()) {
            summary(h, c, kind);
        }
        if (TeacherCost.present(c)) {
            h.append("<h2>Teacher cost</h2>\n<p class=\"note\">Summed over each run's iterations, as its metrics.csv"
                            + " logs them; the chart puts each run's student at the teacher tokens it had used.</p>\n")
                    .append(Tables.html(TeacherCost.perRun(c), Integer.MAX_VALUE))
                    .append('\n');
            TeacherCost.accuracyAgainstTokens(c)
                    .ifPresent(f -> h.append(Report.figureHtml(f)).append('\n'));
            if (EndpointCost.present(c)) {
                h.append(
                                "<p class=\"note\">The teacher's replicas: requests each answered and failed (a failed"
                                        + " request went to another replica), and whether it was still in use at the end.</p>\n")
                        .append(Tables.html(EndpointCost.perEndpoint(c), Integer.MAX_VALUE))
                        .append('\n');
            }
            h.append("<details><summary>Teacher cost per iteration</summary>\n")
                    .append(Tables.html(TeacherCost.perIteration(c), Integer.MAX_VALUE))
                    .append("</details>\n");
        }
        List<Figure> gold = goldCharts(c);
        if (!gold.isEmpty()) {
            h.append("<h2>GOLD loop, per iteration (mean over seeds)</h2>\n" + BAND_NOTE);
            gold.forEach(f -> h.append(Report.figureHtml(f)).append('\n'));
        }
        for (RunKind kind : c.kinds()) {
            ComparisonCharts.families(c, kind)
                    .ifPresent(f -> h.append("<h2>")
                            .append(esc(kind.headlineTitle()))
                            .append(" per family</h2>\n")
                            .append(Report.figureHtml(f))
                            .append('\n'));
        }
        List<Figure> training = trainingCharts(c);
        if (!training.isEmpty()) {
            h.append("<h2>Training, per step (mean over seeds)</h2>\n" + BAND_NOTE);
            training.forEach(f -> h.append(Report.figureHtml(f)).append('\n'));
        }
        h.append("</main></body></html>\n");
        try {
            Files.createDirectories(base);
            Path tmp = base.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, h, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void runs(StringBuilder h, RunComparison c, Path base) {
        h.append("<h2>Runs</h2>\n<table><thead><tr><th>method</th><th>seed</th><th>made by</th><th>status</th>")
                .append("<th>run directory</th><th>config</th></tr></thead><tbody>\n");
        for (MethodRuns m : c.methods()) {
            for (RunRecord r : m.runs()) {
                h.append("<tr><td>")
                        .append(esc(m.method()))
                        .append("</td><td>")
                        .append(esc(r.seedLabel()))
                        .append("</td><td><code>")
                        .append(esc(r.kind().command()))
                        .append("</code></td><td>")
                        .append(esc(r.status()))
                        .append("</td><td>")
                        .append(link(base, r.dir()))
                        .append("</td><td>")
                        .append(r.config() == null ? "none" : link(base, r.config()))
                        .append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n");
    }

    private static void summary(StringBuilder h, RunComparison c, RunKind kind) {
        List<MethodRuns> methods = c.methods(kind);
        h.append("<h2>")
                .append(esc(kind.headlineTitle()))
                .append("</h2>\n<table><thead><tr><th>method</th>")
                .append("<th>seeds</th><th>")
                .append(esc(kind.headlineLabel()))
                .append(": mean &plusmn; sd</th>")
                .append("<th>95% interval of the mean</th><th>per seed</th></tr></thead><tbody>\n");
        for (MethodRuns m : methods) {
            Optional<SeedSummary> s = m.summary();
            h.append("<tr><td>")
                    .append(esc(m.method()))
                    .append("</td><td class=\"num\">")
                    .append(s.map(SeedSummary::n).orElse(0));
            int unfinished = m.runs().size() - m.finished().size();
            if (unfinished > 0) {
                h.append(" (+").append(unfinished).append(" unfinished)");
            }
            h.append("</td><td class=\"num\">");
            if (s.isEmpty()) {
                h.append("no run has finished").append("</td><td>").append("</td><td>");
            } else if (!s.get().hasInterval()) {
                h.append(fmt(s.get().mean())).append(" (one seed, no sd)</td><td>none: one seed</td><td>");
            } else {
                h.append(fmt(s.get().mean()))
                        .append(" &plusmn; ")
                        .append(fmt(s.get().sd()))
                        .append("</td><td class=\"num\">")
                        .append(fmt(s.get().low()))
                        .append(" to ")
                        .append(fmt(s.get().high()))
                        .append("</td><td>");
            }
            h.append(esc(RunComparison.perSeed(m))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        if (methods.stream().anyMatch(m -> m.summary().isPresent())) {
            h.append(Report.figureHtml(ComparisonCharts.headline(c, kind))).append('\n');
            h.append("<p class=\"note\">Bars: the mean over seeds; error bars: the 95% t interval of the mean (none for"
                            + " one seed); circles: each seed.")
                    .append(kind.higherIsBetter() ? "" : " Lower is better.")
                    .append("</p>\n");
        }
        List<SeedComparison> pairs = c.comparisons(kind);
        if (!pairs.isEmpty()) {
            h.append("<h3>Is the difference larger than the seed-to-seed spread?</h3>\n<ul class=\"verdicts\">\n");
            for (SeedComparison p : pairs) {
                h.append("<li>").append(esc(p.verdict(kind.unit()))).append("</li>\n");
            }
            h.append("</ul>\n<p class=\"note\">Each pair is tested on its own at the 5% level (two-sided), treating"
                    + " seeds as independent draws; with many pairs, expect some 1 in 20 of the differences called"
                    + " larger than the spread by chance.</p>\n");
        }
        Table numbers = c.summary(kind);
        h.append("<details><summary>The summary as numbers</summary>\n")
                .append(Tables.html(numbers, Integer.MAX_VALUE))
                .append("</details>\n");
    }

    private static String link(Path base, Path target) {
        Path abs = target.toAbsolutePath().normalize();
        String shown;
        String href;
        try {
            Path rel = base.relativize(abs);
            shown = rel.toString();
            href = new URI(null, null, rel.toString().replace('\\', '/'), null).toASCIIString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            shown = abs.toString();
            href = abs.toUri().toString();
        }
        if (shown.isEmpty()) {
            shown = ".";
            href = ".";
        }
        return "<a href=\"" + esc(href) + "\">" + esc(shown) + "</a>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return Tables.escape(s);
    }
}
