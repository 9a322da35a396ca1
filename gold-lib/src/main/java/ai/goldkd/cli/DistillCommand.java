package ai.goldkd.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.io.OutputDirectory;
import ai.goldkd.io.OutputMode;
import ai.goldkd.io.RunLock;
import ai.goldkd.metrics.SliceScore;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.distill.AnswerAccuracy;
import ai.goldkd.train.distill.DistillationConfig;
import ai.goldkd.train.distill.DistillationJson;
import ai.goldkd.train.distill.DistillationTrainer;
import ai.goldkd.train.distill.PromptExample;
import ai.goldkd.train.distill.RewardFunction;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code gold distill --config FILE.json --out DIR}: one distillation regime on a task, then greedy
 * answer accuracy on the test split; {@code gold distill --eval MODEL_DIR}: only the accuracy.
 *
 * <p>The config file holds the run's keys below and, beside them, {@link DistillationJson}'s keys:
 *
 * <pre>{@code
 * {"task": "arithmetic-answer", "teacher": "~/.cache/gold/teachers/arithmetic",
 *  "student": {"init": "runs/student-init"},            (or a shape: layers, dim, heads, mlp, context)
 *  "validation": 200, "trainLimit": 0, "testLimit": 0, "evalBatch": 100, "reward": "none",
 *  "regime": "on_policy", "lambda": 1.0, "divergence": {"name": "jsd", "beta": 0.5}, "train": {...}}
 * }</pre>
 */
final class DistillCommand {

    private static final String USAGE = """
            usage: gold distill --config FILE.json --out DIR [--overwrite]
                   gold distill --eval MODEL_DIR [--task NAME] [--limit N] [--max-new-tokens N]
            """;
    private static final Set<String> RUN_KEYS = Set.of("task", "teacher", "student", "validation", "trainLimit",
            "testLimit", "evalBatch", "reward");

    private DistillCommand() {}

    static int run(String[] args) {
        Args a = new Args("distill", args, Set.of("overwrite"));
        String eval = a.string("eval", null);
        if (eval != null) {
            String task = a.string("task", "arithmetic-answer");
            int limit = a.integer("limit", 0);
            int maxNew = a.integer("max-new-tokens", 64);
            a.done(List.of("--eval", "--task", "--limit", "--max-new-tokens"));
            return evaluate(Checkpoint.path(eval), task, limit, maxNew);
        }
        if (args.length == 0) {
            throw new UsageException("distill needs --config and --out\n" + USAGE);
        }
        Path configFile = Path.of(a.required("config"));
        Path out = Path.of(a.required("out"));
        boolean overwrite = a.flag("overwrite");
        a.done(List.of("--config", "--out", "--overwrite", "--eval"));
        // an earlier run in --out is kept unless --overwrite says otherwise, and one writer at a time
        try (RunLock lock = OutputDirectory.open(out, overwrite ? OutputMode.OVERWRITE : OutputMode.NEW)) {
            return distill(configFile, out);
        }
    }

    private static int evaluate(Path modelDir, String taskName, int limit, int maxNewTokens) {
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task(taskName);
        List<PromptExample> test = limit(PromptExample.of(task, catalog.examples(task, Split.TEST)), limit);
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Checkpoint checkpoint = Checkpoint.load(modelDir, manager);
            AnswerAccuracy acc = AnswerAccuracy.evaluate(checkpoint.languageModel(), checkpoint.tokenizer(), test,
                    maxNewTokens, 100);
            print(acc, test.size());
        }
        return 0;
    }

    private static int distill(Path configFile, Path out) {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UsageException("--config " + configFile + " cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageException("--config " + configFile + " is not a JSON object: " + e.getMessage());
        }
        JsonObject regimeJson = json.deepCopy();
        RUN_KEYS.forEach(regimeJson::remove);
        DistillationConfig config = DistillationJson.read(regimeJson);
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task(json.has("task") ? json.get("task").getAsString() : "arithmetic-answer");
        List<PromptExample> all = limit(PromptExample.of(task, catalog.examples(task, Split.TRAIN)),
                intOf(json, "trainLimit", 0));
        int validation = intOf(json, "validation", 200);
        if (validation >= all.size()) {
            throw new IllegalArgumentException("validation " + validation + " >= " + all.size()
                    + " training examples; hold out fewer");
        }
        // The validation examples are the last ones of the train split and are not trained on.
        List<PromptExample> train = all.subList(0, all.size() - validation);
        List<PromptExample> held = all.subList(all.size() - validation, all.size());
        List<PromptExample> test = limit(PromptExample.of(task, catalog.examples(task, Split.TEST)),
                intOf(json, "testLimit", 0));
        RewardFunction reward = switch (json.has("reward") ? json.get("reward").getAsString() : "none") {
            case "none" -> null;
            case "final-number" -> RewardFunction.finalNumber();
            default -> throw new IllegalArgumentException("reward '" + json.get("reward").getAsString()
                    + "' is unknown; use none or final-number");
        };
        long started = System.nanoTime();
        try (Model student = Model.newInstance("student", Devices.choose());
                NDManager teachers = NDManager.newBaseManager(Devices.choose())) {
            CausalLm teacher = null;
            Tokenizer teacherTokenizer = null;
            if (config.regime().needsTeacher()) {
                if (!json.has("teacher")) {
                    throw new IllegalArgumentException("regime " + config.regime() + " needs \"teacher\": a"
                            + " checkpoint directory; add it or use regime sft");
                }
                Checkpoint t = Checkpoint.load(Checkpoint.path(json.get("teacher").getAsString()), teachers);
                teacher = t.languageModel();
                teacherTokenizer = t.tokenizer();
            }
            Tokenizer tokenizer = student(json, student, teacherTokenizer);
            System.out.printf(Locale.ROOT, "%s: %d train, %d validation, %d test examples; student %s%n",
                    config.regime(), train.size(), held.size(), test.size(), ((CausalLm) student.getBlock()).config());
            DistillationTrainer.DistillationResult result = new DistillationTrainer(config, tokenizer, teacher,
                    teacherTokenizer, reward).train(student, train, held, out);
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            AnswerAccuracy acc = AnswerAccuracy.evaluate((CausalLm) student.getBlock(), tokenizer, test,
                    config.maxNewTokens(), intOf(json, "evalBatch", 100));
            print(acc, test.size());
            writeResults(out, config, result, acc, trainSeconds, test.size());
        }
        return 0;
    }

    /** Builds the student from "student": {"init": DIR} or a shape, with the teacher's tokenizer by default. */
    private static Tokenizer student(JsonObject json, Model model, Tokenizer teacherTokenizer) {
        JsonObject s = json.has("student") ? json.getAsJsonObject("student") : new JsonObject();
        if (s.has("init")) {
            Checkpoint init = Checkpoint.load(Checkpoint.path(s.get("init").getAsString()), model.getNDManager());
            model.setBlock(init.languageModel());
            return init.tokenizer();
        }
        Tokenizer tokenizer = teacherTokenizer != null ? teacherTokenizer : ai.goldkd.tokenizer.Tokenizers.bytes();
        TransformerConfig d = TransformerConfig.defaults();
        TransformerConfig shape = new TransformerConfig(intOf(s, "layers", 2), intOf(s, "dim", 96),
                intOf(s, "heads", 4), intOf(s, "mlp", 4 * intOf(s, "dim", 96)), tokenizer.vocabSize(),
                intOf(s, "context", 192), 0f, d.positions(), true);
        model.setBlock(new CausalLm(shape));
        return tokenizer;
    }

    private static void print(AnswerAccuracy acc, int n) {
        System.out.printf(Locale.ROOT, "accuracy %.4f on %d test examples (tail %.4f), %.1f s%n", acc.accuracy(), n,
                acc.tailAccuracy(headFamilies()), acc.seconds());
        for (SliceScore s : acc.slices()) {
            System.out.printf(Locale.ROOT, "  %-18s %4d  %.4f%n", s.slice(), s.count(), s.value());
        }
    }

    private static Set<String> headFamilies() {
        return Arrays.stream(Family.values()).filter(Family::head).map(Family::label).collect(Collectors.toSet());
    }

    private static void writeResults(Path out, DistillationConfig config, DistillationTrainer.DistillationResult result,
            AnswerAccuracy acc, double trainSeconds, int testSize) {
        JsonObject r = new JsonObject();
        r.addProperty("regime", config.regime().name().toLowerCase(Locale.ROOT));
        r.addProperty("divergence", config.regime().tokenLevel() ? config.divergence().name() : "none");
        r.addProperty("lambda", config.lambda());
        r.addProperty("steps", result.train().steps());
        r.addProperty("test_examples", testSize);
        r.addProperty("accuracy", acc.accuracy());
        r.addProperty("tail_accuracy", acc.tailAccuracy(headFamilies()));
        JsonObject slices = new JsonObject();
        acc.slices().forEach(s -> slices.addProperty(s.slice(), s.value()));
        r.add("slices", slices);
        r.addProperty("train_seconds", trainSeconds);
        r.addProperty("seqkd_generation_seconds", result.generationSeconds());
        r.addProperty("eval_seconds", acc.seconds());
        r.addProperty("on_policy_fraction", result.onPolicyFraction());
        r.addProperty("tokens_per_second", result.train().tokensPerSecond());
        try (MetricsLog log = MetricsLog.open(out.resolve("metrics.csv"), out.getFileName().toString())) {
            int step = result.train().steps();
            log.write(0, step, "test_accuracy", acc.accuracy());
            log.write(0, step, "test_accuracy_tail", acc.tailAccuracy(headFamilies()));
            log.write(0, step, "wall_seconds", trainSeconds);
        }
        try {
            Files.writeString(out.resolve("results.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                    .create().toJson(r),
                    StandardCharsets.UTF_8);
            StringBuilder predictions = new StringBuilder();
            for (int i = 0; i < acc.predictions().size(); i++) {
                JsonObject p = new JsonObject();
                p.addProperty("prediction", acc.predictions().get(i));
                p.addProperty("correct", acc.correct().get(i));
                predictions.append(p).append('\n');
            }
            Files.writeString(out.resolve("predictions.jsonl"), predictions.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + out, e);
        }
    }

    private static List<PromptExample> limit(List<PromptExample> list, int limit) {
        return limit > 0 && limit < list.size() ? list.subList(0, limit) : list;
    }

    private static int intOf(JsonObject o, String key, int fallback) {
        return o.has(key) ? o.get(key).getAsInt() : fallback;
    }
}
