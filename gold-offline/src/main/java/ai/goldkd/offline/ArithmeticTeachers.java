package ai.goldkd.offline;

import ai.goldkd.config.Budget;
import ai.goldkd.data.Sha256;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.LmTraining;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.distill.DistillRun;
import ai.goldkd.train.distill.DistillationConfig;
import ai.goldkd.train.distill.PromptSplits;
import ai.goldkd.train.distill.Regime;
import ai.goldkd.train.distill.RegimeRun;
import ai.goldkd.train.distill.StudentSpec;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The transformer teacher of the arithmetic task: built by a {@link Recipe} (what {@code gold teacher
 * build arithmetic} runs), or obtained for a notebook's budget ({@link #obtain}).
 *
 * <pre>{@code
 * ArithmeticTeachers.Obtained t = ArithmeticTeachers.obtain(Budget.SMALL, splits, runs.resolve("teacher"));
 * Path built = ArithmeticTeachers.build(ArithmeticTeachers.Recipe.defaults());
 * }</pre>
 */
public final class ArithmeticTeachers {

    /** The name before the recipe's hash in {@code $GOLD_HOME/teachers/}. */
    public static final String NAME = "arithmetic";
    /** The directory name of the teacher docs/results.md trained by hand, still looked for by {@link #obtain}. */
    public static final String HAND_BUILT = "arithmetic-sft3";

    private ArithmeticTeachers() {}

    /**
     * The build, stages 1 to 3 of {@code docs/distill/run.sh}: a byte-level LM on "body question\nanswer"
     * documents of the train split, then two SFT stages on the answers. It lands in
     * {@code $GOLD_HOME/teachers/arithmetic-HASH/} (HASH of the recipe and the train file). One difference
     * from run.sh: stage 1 runs its own {@code lmSteps}-step schedule, where run.sh stopped a 2,500-step
     * schedule at step 500.
     *
     * @param dataSha256 the SHA-256 of {@code datasets/arithmetic/train.jsonl}
     * @param lmSteps stage 1 steps (run.sh: 500), >= 1
     * @param sftSteps stage 2 steps (1,500), >= 1
     * @param sft2Steps stage 3 steps (2,000), >= 1
     * @param layers transformer layers (4)
     * @param dim width (128)
     * @param heads attention heads (4)
     * @param mlp MLP width (512)
     * @param batch batch size of every stage (32)
     * @param testLimit test questions each stage's final evaluation reads, 0 for all
     */
    public record Recipe(
            String dataSha256,
            int lmSteps,
            int sftSteps,
            int sft2Steps,
            int layers,
            int dim,
            int heads,
            int mlp,
            int batch,
            int testLimit) {

        /** The version of this build; bump it when the stages change. */
        public static final int VERSION = 1;

        /** Checks the step counts and names them. */
        public Recipe {
            if (lmSteps < 1 || sftSteps < 1 || sft2Steps < 1) {
                throw new IllegalArgumentException("teacher build arithmetic: every stage needs >= 1 step, got "
                        + lmSteps + ", " + sftSteps + ", " + sft2Steps);
            }
        }

        /** The recipe of docs/results.md's teacher, on the checkout's train file. */
        public static Recipe defaults() {
            return new Recipe(sha256(trainFile()), 500, 1500, 2000, 4, 128, 4, 512, 32, 0);
        }

        /** The first 12 hex digits of the recipe's SHA-256: its directory's suffix. */
        public String hash() {
            String canonical = String.format(
                    Locale.ROOT,
                    "v%d data=%s lm=%d sft=%d sft2=%d layers=%d dim=%d heads=%d" + " mlp=%d batch=%d testLimit=%d",
                    VERSION,
                    dataSha256,
                    lmSteps,
                    sftSteps,
                    sft2Steps,
                    layers,
                    dim,
                    heads,
                    mlp,
                    batch,
                    testLimit);
            return Sha256.hex(canonical.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        }

        /** Where the built teacher lives. */
        public Path dir() {
            return ImdbTeachers.root().resolve(NAME + "-" + hash());
        }
    }

    /**
     * A teacher and where it came from.
     *
     * @param teacher the teacher; close it to free the model
     * @param source a sentence for the reader: the built teacher's directory, or how it was trained here
     */
    public record Obtained(LocalTeacher teacher, String source) implements AutoCloseable {
        @Override
        public void close() {
            teacher.close();
        }
    }

    /**
     * Builds a recipe's teacher unless it is built already; stages run in a temporary directory that is
     * renamed into place, so an interrupted build leaves nothing half-made.
     *
     * @param recipe the recipe
     * @return the checkpoint directory
     */
    public static Path build(Recipe recipe) {
        Path dir = recipe.dir();
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path work = dir.resolveSibling(
                dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(work);
            TransformerConfig d = TransformerConfig.defaults();
            TransformerConfig shape = new TransformerConfig(
                    recipe.layers(),
                    recipe.dim(),
                    recipe.heads(),
                    recipe.mlp(),
                    d.vocab(),
                    192,
                    d.dropout(),
                    d.positions(),
                    true);
            TrainConfig t = TrainConfig.defaults();
            TrainConfig lm = new TrainConfig(
                    1e-3f,
                    1e-4f,
                    t.weightDecay(),
                    Math.min(100, recipe.lmSteps() / 10),
                    recipe.lmSteps(),
                    Schedule.COSINE,
                    recipe.batch(),
                    t.gradAccumulation(),
                    t.clipNorm(),
                    Math.min(500, recipe.lmSteps()),
                    0,
                    1L,
                    10);
            LmTraining.train(documents(trainFile()), Tokenizers.bytes(), shape, lm, 0.02f, work.resolve("lm"), false);
            Path sft = stage(
                    recipe,
                    work.resolve("sft"),
                    work.resolve("lm").resolve("best"),
                    recipe.sftSteps(),
                    1e-3f,
                    1e-4f,
                    50,
                    250,
                    1);
            Path sft2 = stage(recipe, work.resolve("sft2"), sft, recipe.sft2Steps(), 1e-3f, 5e-5f, 20, 500, 5);
            Files.move(sft2, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the arithmetic teacher in " + work, e);
        } finally {
            delete(work);
        }
        return dir;
    }

    /**
     * The default recipe's built teacher.
     *
     * @return the checkpoint directory
     * @throws IllegalArgumentException when it is not built, naming the command that builds it
     */
    public static Path builtDefault() {
        Path dir = Recipe.defaults().dir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the arithmetic teacher is not built (no " + dir + "); run"
                    + " `gold teacher build arithmetic` first (about an hour on 2 CPU cores)");
        }
        return dir;
    }

    /**
     * A teacher for a notebook's budget: at {@code small} and {@code paper} the built teacher when there is
     * one (the default recipe's, or {@value #HAND_BUILT}); otherwise, and always at {@code smoke}, one
     * trained here by SFT from scratch on the splits' train examples at the budget's size (1 layer of
     * width 64 and 60 steps at smoke; 4 layers of width 128 and 3,000 or 6,000 steps above).
     *
     * @param budget the budget
     * @param splits the train, validation and test prompts (the teacher trained here learns from them)
     * @param work where a teacher trained here is saved
     * @return the teacher and a sentence saying which it is
     */
    public static Obtained obtain(Budget budget, PromptSplits splits, Path work) {
        if (budget != Budget.SMOKE) {
            for (Path built :
                    List.of(Recipe.defaults().dir(), ImdbTeachers.root().resolve(HAND_BUILT))) {
                if (Checkpoint.exists(built)) {
                    return new Obtained(LocalTeacher.load(built), "the built teacher " + built);
                }
            }
        }
        int steps = budget.pick(60, 3000, 6000);
        TrainConfig train = TrainConfig.defaults()
                .withSteps(steps, Math.max(1, steps / 10))
                .withBatch(budget.pick(16, 32, 32), 1)
                .withLearningRate(3e-3f, 3e-3f / 10)
                .withSeed(3);
        DistillationConfig sft = DistillationConfig.defaults()
                .withRegime(Regime.SFT)
                .withMaxNewTokens(48)
                .withTrain(train);
        TransformerConfig shape = new TransformerConfig(
                budget.pick(1, 4, 4),
                budget.pick(64, 128, 128),
                4,
                budget.pick(256, 512, 512),
                Tokenizers.bytes().vocabSize(),
                192,
                0f,
                TransformerConfig.defaults().positions(),
                true);
        RegimeRun own = RegimeRun.fromScratch(
                "teacher",
                sft,
                shape,
                null,
                Tokenizers.bytes(),
                splits.train(),
                splits.validation(),
                splits.test(),
                work);
        return new Obtained(
                LocalTeacher.load(own.out()),
                "no built teacher used: trained one here by SFT (" + shape.layers() + " layers, width " + shape.dim()
                        + ") in " + Math.round(own.seconds()) + " s");
    }

    /** One SFT stage, as docs/distill/teacher-sft*.json configure it. */
    private static Path stage(
            Recipe r, Path out, Path init, int steps, float lr, float minLr, int warmup, int evalEvery, long seed) {
        TrainConfig d = TrainConfig.defaults();
        TrainConfig train = new TrainConfig(
                lr,
                minLr,
                d.weightDecay(),
                Math.min(warmup, Math.max(0, steps / 10)),
                steps,
                d.schedule(),
                r.batch(),
                d.gradAccumulation(),
                d.clipNorm(),
                Math.min(evalEvery, steps),
                d.patience(),
                seed,
                10);
        DistillRun.defaults()
                .withStudent(StudentSpec.fromCheckpoint(init.toString()))
                .withValidation(200)
                .withLimits(0, r.testLimit())
                .withConfig(DistillationConfig.defaults()
                        .withRegime(Regime.SFT)
                        .withMaxNewTokens(48)
                        .withTrain(train))
                .run(out);
        return out;
    }

    /** "body question\nanswer" per train example, as run.sh's stage 1 writes them. */
    private static List<String> documents(Path train) throws IOException {
        List<String> docs = new ArrayList<>();
        for (String line : Files.readAllLines(train, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject r = JsonParser.parseString(line).getAsJsonObject();
            docs.add(r.get("body").getAsString() + " " + r.get("question").getAsString() + "\n"
                    + r.get("answer").getAsString());
        }
        return docs;
    }

    static Path trainFile() {
        return TaskCatalog.locate().arithmeticDir().resolve("train.jsonl");
    }

    private static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no arithmetic train file at " + file + "; run from the checkout");
        }
        return Sha256.hex(file);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("gold: could not remove " + dir + " (" + e.getMessage() + "); delete it by hand");
        }
    }
}
