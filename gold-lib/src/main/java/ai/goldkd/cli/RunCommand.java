package ai.goldkd.cli;

import ai.goldkd.config.Budget;
import ai.goldkd.gold.Gold;
import ai.goldkd.gold.GoldConfig;
import ai.goldkd.gold.GoldReport;
import ai.goldkd.gold.GoldTeachers;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.RunDirectory;
import ai.goldkd.gold.RunResult;
import ai.goldkd.gold.TeacherSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gold run}: GOLD and its baselines, seed after seed, a per-iteration table on the terminal,
 * then a summary and an HTML report with the charts.
 */
final class RunCommand {

    private static final String USAGE = """
            usage: gold run [PRESET|CONFIG.json ...] [--out DIR] [--budget smoke|small|paper] [--seeds N]
                            [--seed S] [--teacher imdb|imdb-cache|imdb-transformer] [--endpoint URL --model NAME]
                   gold run --resume DIR
                   gold run --diagnose DIR     why methods differ: label consistency (IMDB) or correctness (arithmetic), diversity, tail accuracy

              PRESET     gold, zerogen, zerogen-hot, progen, random, top-energy, real-data, teacher-fewshot
                         (default: gold zerogen); a CONFIG.json names a "preset" and overrides its settings
              --out      where the runs go, one folder per method and seed (default runs/gold)
              --budget   smoke (seconds), small (the default: minutes on 2 cores), paper (the paper's sizes)
              --seeds    seeds per method, 1 to N from --seed (default 1)
              --teacher  the offline teacher (default imdb, the latent-topic teacher)
              --endpoint an OpenAI-compatible base URL (the teacher then is that model, --model names it)
              --resume   continue a killed run from its folder; nothing made is lost or made twice
            """;

    private RunCommand() {}

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(USAGE);
            return 0;
        }
        List<String> presets = new ArrayList<>();
        int i = 0;
        while (i < args.length && !args[i].startsWith("--")) {
            presets.add(args[i++]);
        }
        Args a = new Args("run", Arrays.copyOfRange(args, i, args.length), Set.of());
        String resume = a.string("resume", null);
        String diagnose = a.string("diagnose", null);
        Path out = Path.of(a.string("out", "runs/gold"));
        Budget budget = Budget.parse(a.string("budget", Budget.fromEnvironment().label()));
        int seeds = a.integer("seeds", 1);
        long firstSeed = a.longValue("seed", 1);
        String teacher = a.string("teacher", null);
        String endpoint = a.string("endpoint", null);
        String model = a.string("model", null);
        a.done(List.of("--out", "--budget", "--seeds", "--seed", "--teacher", "--endpoint", "--model", "--resume",
                "--diagnose"));
        if (diagnose != null) {
            return diagnose(Path.of(diagnose));
        }
        if (resume != null) {
            if (!presets.isEmpty()) {
                throw new UsageException("run: --resume DIR continues one run; give no presets with it");
            }
            Path dir = Path.of(resume);
            GoldConfig config = RunDirectory.open(dir).config();
            System.out.println("resuming " + config.name() + " (seed " + config.seed() + ") in " + dir);
            RunResult r = runOne(config, dir);
            System.out.printf(Locale.ROOT, "%s seed %d: accuracy %.2f%%%n", r.name(), r.seed(), 100 * r.accuracy());
            return 0;
        }
        if (seeds < 1) {
            throw new UsageException("run: --seeds must be >= 1, got " + seeds);
        }
        if (endpoint != null && model == null) {
            throw new UsageException("run: --endpoint needs --model NAME (GET " + endpoint + "/models lists them)");
        }
        if (presets.isEmpty()) {
            presets = List.of("gold", "zerogen");
        }
        List<Path> dirs = new ArrayList<>();
        for (String preset : presets) {
            for (int s = 0; s < seeds; s++) {
                GoldConfig config = GoldConfig.load(preset, budget).with("seed", firstSeed + s);
                if (endpoint != null) {
                    TeacherSpec spec = TeacherSpec.endpoint(endpoint, model);
                    config = config.with("teacher", spec.withSampling(config.teacher().temperature(),
                            config.teacher().topK(), config.teacher().topP()));
                } else if (teacher != null) {
                    TeacherSpec t = config.teacher();
                    config = config.with("teacher", new TeacherSpec(teacher, null, null, t.temperature(), t.topK(),
                            t.topP(), t.maxTokens()));
                }
                Path dir = out.resolve(config.name() + "-s" + config.seed());
                System.out.printf(Locale.ROOT, "%n== %s, seed %d, budget %s: %d iterations x (%d + %d) samples -> %s%n",
                        config.name(), config.seed(), budget.label(), config.iterations(), config.trainBatch(),
                        config.validationBatch(), dir);
                RunResult r = runOne(config, dir);
                System.out.printf(Locale.ROOT, "%s seed %d: final student on %d samples (%d dropped as noise):"
                        + " accuracy %.2f%%%n", r.name(), r.seed(), r.trainingSamples(), r.dropped(), 100 * r.accuracy());
                dirs.add(dir);
            }
        }
        GoldReport report = new GoldReport(dirs);
        System.out.println();
        System.out.println(report.summary().printAll());
        report.verdicts().forEach(System.out::println);
        Path html = report.writeHtml(out.resolve("report.html"), "GOLD runs: " + String.join(", ", presets),
                "gold run " + String.join(" ", args));
        System.out.println("report: " + html);
        return 0;
    }

    private static int diagnose(Path out) {
        List<Path> dirs;
        try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(out)) {
            dirs = list.filter(d -> java.nio.file.Files.exists(d.resolve("config.json"))).sorted().toList();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot list " + out + ": " + e.getMessage()
                    + "; give the --out folder of gold run");
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException(out + " holds no run folders; give the --out folder of gold run");
        }
        GoldConfig first = RunDirectory.open(dirs.get(0)).config();
        boolean seq2seq = ai.goldkd.data.TaskCatalog.locate().task(first.task()).kind()
                == ai.goldkd.data.TaskKind.SEQ2SEQ;
        tech.tablesaw.api.Table table = seq2seq
                ? ai.goldkd.gold.ArithmeticRunDiagnostics.of(first.task(), first.testSize()).table(dirs)
                : ai.goldkd.gold.RunDiagnostics.fit(first.task(), first.testSize()).table(dirs);
        System.out.println(table.printAll());
        Path csv = out.resolve("diagnostics.csv");
        table.write().csv(csv.toFile());
        System.out.println("written: " + csv);
        return 0;
    }

    private static RunResult runOne(GoldConfig config, Path dir) {
        boolean loop = config.data().equals("generated") && !config.teacherAnswers();
        if (loop) {
            System.out.println(" iter  accepted  rejected   E p50   E p80    OOD  feedback  distinct2  student acc");
        }
        try (GoldTeachers.Opened teacher = GoldTeachers.open(config.teacher(), config.data().equals("real"))) {
            return Gold.run(config, teacher.generator(), dir, RunCommand::printRow);
        }
    }

    private static void printRow(Iteration it) {
        double acc = it.metric("student_accuracy");
        double ood = it.metric("ood_rate");
        System.out.printf(Locale.ROOT, "%5d  %8.0f  %8.0f  %6.3f  %6.3f  %5s  %8.0f  %9.3f  %s%n", it.index(),
                it.metric("accepted"), it.metric("rejected"), it.metric("energy_p50"), it.metric("energy_p80"),
                Double.isNaN(ood) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * ood), it.metric("feedback"),
                it.metric("distinct2"), Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * acc));
    }
}
