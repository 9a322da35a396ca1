package ai.goldkd.cli;

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
import ai.goldkd.model.Checkpoint;
import ai.goldkd.train.distill.AnswerAccuracy;
import ai.goldkd.train.distill.DistillRun;
import ai.goldkd.train.distill.DistillRunJson;
import ai.goldkd.train.distill.PromptExample;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code gold distill --config FILE.json --out DIR}: one {@link DistillRun} (a distillation regime on a
 * task, then greedy answer accuracy on the test split), its config file in {@link DistillRunJson}'s
 * format; {@code gold distill --eval MODEL_DIR}: only the accuracy.
 */
final class DistillCommand {

    private static final String USAGE = """
            usage: gold distill --config FILE.json --out DIR [--overwrite]
                   gold distill --eval MODEL_DIR [--task NAME] [--limit N] [--max-new-tokens N]
            """;

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
        DistillRun run = DistillRunJson.read(readObject(configFile));
        // an earlier run in --out is kept unless --overwrite says otherwise, and one writer at a time
        try (RunLock lock = OutputDirectory.open(out, overwrite ? OutputMode.OVERWRITE : OutputMode.NEW)) {
            DistillRun.Outcome outcome = run.run(out);
            print(outcome.accuracy(), outcome.accuracy().predictions().size());
            return 0;
        }
    }

    private static int evaluate(Path modelDir, String taskName, int limit, int maxNewTokens) {
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task(taskName);
        List<PromptExample> test = PromptExample.of(task, catalog.examples(task, Split.TEST));
        test = limit > 0 && limit < test.size() ? test.subList(0, limit) : test;
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Checkpoint checkpoint = Checkpoint.load(modelDir, manager);
            AnswerAccuracy acc = AnswerAccuracy.evaluate(
                    checkpoint.languageModel(), checkpoint.tokenizer(), test, maxNewTokens, 100);
            print(acc, test.size());
        }
        return 0;
    }

    private static JsonObject readObject(Path configFile) {
        try {
            return JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UsageException("--config " + configFile + " cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageException("--config " + configFile + " is not a JSON object: " + e.getMessage());
        }
    }

    private static void print(AnswerAccuracy acc, int n) {
        System.out.printf(
                Locale.ROOT,
                "accuracy %.4f on %d test examples (tail %.4f), %.1f s%n",
                acc.accuracy(),
                n,
                acc.tailAccuracy(headFamilies()),
                acc.seconds());
        for (SliceScore s : acc.slices()) {
            System.out.printf(Locale.ROOT, "  %-18s %4d  %.4f%n", s.slice(), s.count(), s.value());
        }
    }

    private static Set<String> headFamilies() {
        return Arrays.stream(Family.values())
                .filter(Family::head)
                .map(Family::label)
                .collect(Collectors.toSet());
    }
}
