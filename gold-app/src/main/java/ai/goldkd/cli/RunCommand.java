package ai.goldkd.cli;

import ai.goldkd.config.Budget;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskKind;
import ai.goldkd.gold.Gold;
import ai.goldkd.gold.GoldConfig;
import ai.goldkd.gold.GoldMetrics;
import ai.goldkd.gold.GoldReport;
import ai.goldkd.gold.GoldTeachers;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.LoopStudentTrajectory;
import ai.goldkd.gold.Method;
import ai.goldkd.gold.RunDirectory;
import ai.goldkd.gold.RunResult;
import ai.goldkd.gold.StudentKind;
import ai.goldkd.gold.StudentSpec;
import ai.goldkd.gold.TeacherEndpoint;
import ai.goldkd.gold.TeacherKind;
import ai.goldkd.gold.TeacherSpec;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.offline.ArithmeticRunDiagnostics;
import ai.goldkd.offline.RunDiagnostics;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code gold run}: GOLD and its baselines, seed after seed, a per-iteration table on the terminal,
 * then a summary and an HTML report with the charts.
 */
final class RunCommand {

    private static final String USAGE = """
            usage: gold run [PRESET|CONFIG.json ...] [--out DIR] [--budget smoke|small|paper] [--seeds N]
                            [--seed S] [--teacher NAME|DIR] [--endpoint URL[,URL...] --model NAME [--timeout S] [--retries N]]
                            [--no-cache] [--student bag-of-ngrams|minilm|DIR] [--set KEY=VALUE ...]
                   gold run --resume DIR
                   gold run --diagnose DIR     why methods differ: label consistency (IMDB) or correctness (arithmetic), diversity, tail accuracy;
                                               the loop student's accuracy and energy spread per iteration from iteration 0

              PRESET     gold, zerogen, zerogen-hot, progen, random, top-energy, real-data, teacher-fewshot
                         (default: gold zerogen); a CONFIG.json names a "preset" and overrides its settings
              --out      where the runs go, one folder per method and seed (default runs/gold)
              --budget   smoke (seconds), small (the default: minutes on 2 cores), paper (the paper's sizes)
              --seeds    seeds per method, 1 to N from --seed (default 1)
              --teacher  the offline teacher: %s (default imdb, the latent-topic teacher),
                         or an instruct checkpoint's directory (hf:DIR or a path) run in this process through its
                         chat template
              --endpoint an OpenAI-compatible base URL (the teacher then is that model, --model names it);
                         --timeout S (the longest wait for one answer) and --retries N (of a failed request) tune it;
                         several URLs, comma-separated, are replicas of the model: the requests spread over them by
                         load, and one that fails for good leaves its work to the others (teacher.endpoints in a config)
              --no-cache ask the teacher every time: by default a seeded request an earlier run already sent is
                         answered from $GOLD_HOME/cache/completions (teacher.cache false in a config)
              --student  the student: bag-of-ngrams (the default, fast), minilm (the embedded pretrained all-MiniLM-L6-v2
                         encoder, frozen; gold setup converts it) or a BERT-family model directory
              --set      change one setting of every run, by its key in config.json: --set loop.iterations=3
                         --set feedback.selector=random (repeatable; a misspelt key is an error naming the nearest)
              --resume   continue a killed run from its folder; nothing made is lost or made twice; a config.json
                         edited since the run started is refused, naming the changed keys
            """.formatted(String.join(", ", TeacherKind.offlineLabels()));

    private RunCommand() {}

    /** {@code --student}: a kind by name, or an encoder model ({@code minilm} or a directory). */
    private static StudentSpec student(StudentSpec spec, String value) {
        return switch (value) {
            case "bag-of-ngrams" -> spec.withKind(StudentKind.BAG_OF_NGRAMS);
            case "sequence" -> spec.withKind(StudentKind.SEQUENCE);
            default ->
                spec.withKind(StudentKind.ENCODER)
                        .withEncoder(new StudentSpec.EncoderSpec(
                                value, spec.encoder().settings(), spec.encoder().cache()));
        };
    }

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
        List<String> settings = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int j = i; j < args.length; j++) {
            if (args[j].equals("--set")) {
                if (j + 1 == args.length) {
                    throw new UsageException("run: --set needs KEY=VALUE, e.g. --set loop.iterations=3");
                }
                settings.add(args[++j]);
            } else {
                rest.add(args[j]);
            }
        }
        Args a = new Args("run", rest.toArray(String[]::new), Set.of("no-cache"));
        String resume = a.string("resume", null);
        String diagnose = a.string("diagnose", null);
        Path out = Path.of(a.string("out", "runs/gold"));
        Budget budget = Budget.parse(a.string("budget", Budget.fromEnvironment().label()));
        int seeds = a.integer("seeds", 1);
        long firstSeed = a.longValue("seed", 1);
        String teacher = a.string("teacher", null);
        String student = a.string("student", null);
        String endpoint = a.string("endpoint", null);
        String model = a.string("model", null);
        Double timeout = a.optionalSeconds("timeout");
        Integer retries = a.optionalInteger("retries", 0, 100);
        boolean noCache = a.flag("no-cache");
        a.done(List.of(
                "--no-cache",
                "--out",
                "--budget",
                "--seeds",
                "--seed",
                "--teacher",
                "--endpoint",
                "--model",
                "--timeout",
                "--retries",
                "--student",
                "--set",
                "--resume",
                "--diagnose"));
        if ((timeout != null || retries != null) && endpoint == null) {
            throw new UsageException("run: --timeout and --retries tune an --endpoint teacher; give --endpoint URL"
                    + " --model NAME with them");
        }
        if (diagnose != null) {
            return diagnose(Path.of(diagnose));
        }
        if (resume != null) {
            if (!presets.isEmpty() || !settings.isEmpty() || noCache) {
                throw new UsageException("run: --resume DIR continues one run with its own settings; give no presets"
                        + ", --set or --no-cache with it");
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
        // Every config is read before the first run starts, so a typo in the last one costs nothing.
        List<GoldConfig> configs = new ArrayList<>();
        for (String preset : presets) {
            for (int s = 0; s < seeds; s++) {
                GoldConfig config = GoldConfig.load(preset, budget).withSeed(firstSeed + s);
                if (endpoint != null) {
                    TeacherSpec t = config.teacher();
                    List<String> urls = List.of(endpoint.split(","));
                    TeacherSpec e = TeacherSpec.endpoint(urls.get(0).strip(), model)
                            .withClient(timeout, retries)
                            .withSampling(t.temperature(), t.topK(), t.topP())
                            .withCache(t.cache());
                    config = config.withTeacher(
                            urls.size() == 1
                                    ? e
                                    : e.withEndpoints(
                                            urls.stream()
                                                    .map(String::strip)
                                                    .map(TeacherEndpoint::of)
                                                    .toList(),
                                            model));
                } else if (teacher != null) {
                    config = config.withTeacher(
                            TeacherKind.offlineLabels().contains(teacher)
                                    ? config.teacher().withKind(offlineTeacher(teacher))
                                    : checkpointTeacher(config, teacher));
                }
                if (noCache) {
                    config = config.withTeacher(config.teacher().withCache(false));
                }
                try {
                    if (student != null) {
                        config = config.withStudent(student(config.student(), student));
                    }
                    config = config.withSettings(settings);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("run: --set: " + e.getMessage());
                }
                configs.add(config);
            }
        }
        List<Path> dirs = new ArrayList<>();
        for (GoldConfig config : configs) {
            Path dir = out.resolve(config.name() + "-s" + config.seed());
            System.out.printf(
                    Locale.ROOT,
                    "%n== %s, seed %d, budget %s: %d iterations x (%d + %d) samples -> %s%n",
                    config.name(),
                    config.seed(),
                    budget.label(),
                    config.loop().iterations(),
                    config.loop().trainBatch(),
                    config.loop().validationBatch(),
                    dir);
            RunResult r = runOne(config, dir);
            System.out.printf(
                    Locale.ROOT,
                    "%s seed %d: final student on %d samples (%d dropped as noise):" + " accuracy %.2f%%%n",
                    r.name(),
                    r.seed(),
                    r.trainingSamples(),
                    r.dropped(),
                    100 * r.accuracy());
            dirs.add(dir);
        }
        GoldReport report = new GoldReport(dirs);
        System.out.println();
        System.out.println(report.summary().printAll());
        report.verdicts().forEach(System.out::println);
        Path html = report.writeHtml(
                out.resolve("report.html"),
                "GOLD runs: " + String.join(", ", presets),
                "gold run " + String.join(" ", args));
        System.out.println("report: " + html);
        return 0;
    }

    private static int diagnose(Path out) {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(out)) {
            dirs = list.filter(d -> Files.exists(d.resolve("config.json")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot list " + out + ": " + e.getMessage() + "; give the --out folder of gold run");
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException(out + " holds no run folders; give the --out folder of gold run");
        }
        GoldConfig first = RunDirectory.open(dirs.get(0)).config();
        boolean seq2seq = TaskCatalog.locate().task(first.task()).kind() == TaskKind.SEQ2SEQ;
        Table table = seq2seq
                ? ArithmeticRunDiagnostics.of(first.task(), first.testSize()).table(dirs)
                : RunDiagnostics.fit(first.task(), first.testSize()).table(dirs);
        System.out.println(table.printAll());
        Path csv = out.resolve("diagnostics.csv");
        table.write().csv(csv.toFile());
        System.out.println("written: " + csv);
        Table loop = LoopStudentTrajectory.table(dirs);
        if (!loop.isEmpty()) {
            System.out.println();
            System.out.println(loop.printAll());
            Path loopCsv = out.resolve("loop-student.csv");
            loop.write().csv(loopCsv.toFile());
            System.out.println("written: " + loopCsv);
        }
        return 0;
    }

    /** {@code --teacher DIR}: the checkpoint, with the preset's sampling; a name that is neither fails. */
    private static TeacherSpec checkpointTeacher(GoldConfig config, String value) {
        boolean path =
                value.startsWith(HfCheckpoint.SCHEME) || value.contains("/") || Files.isDirectory(Path.of(value));
        if (!path) {
            offlineTeacher(value); // names the known teachers
        }
        TeacherSpec t = config.teacher();
        return TeacherSpec.checkpoint(value)
                .withSampling(t.temperature(), t.topK(), t.topP())
                .withMaxTokens(t.maxTokens());
    }

    private static TeacherKind offlineTeacher(String name) {
        TeacherKind kind;
        try {
            kind = TeacherKind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: --teacher: " + e.getMessage());
        }
        if (!kind.offline()) {
            throw new UsageException(
                    "run: --teacher names an offline teacher (" + String.join(", ", TeacherKind.offlineLabels())
                            + "); for a server give --endpoint URL --model NAME");
        }
        return kind;
    }

    private static RunResult runOne(GoldConfig config, Path dir) {
        if (config.method() == Method.LOOP) {
            System.out.println(" iter  accepted  rejected   E p50   E p80    OOD  feedback  distinct2  retries  failed"
                    + "  cached  student acc");
        }
        TeacherTally tally = new TeacherTally();
        try (GoldTeachers.Opened teacher =
                GoldTeachers.open(config.teacher(), !config.method().needsTeacher())) {
            return Gold.run(config, teacher.generator(), dir, it -> {
                printRow(it);
                tally.add(it);
            });
        } finally {
            tally.print(config.teacher());
        }
    }

    private static void printRow(Iteration it) {
        double acc = it.metric(GoldMetrics.STUDENT_ACCURACY);
        double ood = it.metric(GoldMetrics.OOD_RATE);
        double hits = it.metric(GoldMetrics.TEACHER_CACHE_HITS);
        System.out.printf(
                Locale.ROOT,
                "%5d  %8.0f  %8.0f  %6.3f  %6.3f  %5s  %8.0f  %9.3f  %7.0f  %6.0f  %6s  %s%n",
                it.index(),
                it.metric(GoldMetrics.ACCEPTED),
                it.metric(GoldMetrics.REJECTED),
                it.metric(GoldMetrics.energyPercentile(0.5)),
                it.metric(GoldMetrics.energyPercentile(0.8)),
                Double.isNaN(ood) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * ood),
                it.metric(GoldMetrics.FEEDBACK),
                it.metric(GoldMetrics.DISTINCT2),
                it.metric(GoldMetrics.TEACHER_RETRIES),
                it.metric(GoldMetrics.TEACHER_FAILURES),
                Double.isNaN(hits) ? "off" : String.format(Locale.ROOT, "%.0f", hits),
                Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * acc));
    }
}
