package ai.goldkd.cli;

import ai.goldkd.data.Sha256;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.teacher.offline.ImdbTeachers;
import com.google.gson.Gson;
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
 * {@code gold teacher build arithmetic}: the transformer teacher of the arithmetic task, trained by the
 * recipe {@code docs/distill/run.sh} follows, stages 1 to 3: a byte-level LM on "body question\nanswer"
 * documents of the train split, then two SFT stages on the answers. It lands in
 * {@code $GOLD_HOME/teachers/arithmetic-HASH/} (HASH of the recipe and the train file), written in a
 * temporary directory and renamed into place. One difference from run.sh: stage 1 runs its own
 * {@code lmSteps}-step schedule, where run.sh stopped a 2,500-step schedule at step 500.
 *
 * @param dataSha256 the SHA-256 of {@code datasets/arithmetic/train.jsonl}
 * @param lmSteps stage 1 steps (run.sh: 500)
 * @param sftSteps stage 2 steps (1,500)
 * @param sft2Steps stage 3 steps (2,000)
 * @param layers transformer layers (4)
 * @param dim width (128)
 * @param heads attention heads (4)
 * @param mlp MLP width (512)
 * @param batch batch size of every stage (32)
 * @param testLimit test questions each stage's final evaluation reads, 0 for all
 */
record ArithmeticTeacher(String dataSha256, int lmSteps, int sftSteps, int sft2Steps, int layers, int dim, int heads,
        int mlp, int batch, int testLimit) {

    /** The version of this build; bump it when the stages change. */
    static final int VERSION = 1;
    static final String NAME = "arithmetic";

    static ArithmeticTeacher defaults() {
        return new ArithmeticTeacher(sha256(trainFile()), 500, 1500, 2000, 4, 128, 4, 512, 32, 0);
    }

    static Path trainFile() {
        return TaskCatalog.locate().arithmeticDir().resolve("train.jsonl");
    }

    String hash() {
        String canonical = String.format(Locale.ROOT, "v%d data=%s lm=%d sft=%d sft2=%d layers=%d dim=%d heads=%d"
                + " mlp=%d batch=%d testLimit=%d", VERSION, dataSha256, lmSteps, sftSteps, sft2Steps, layers, dim, heads,
                mlp, batch, testLimit);
        return Sha256.hex(canonical.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    Path dir() {
        return ImdbTeachers.root().resolve(NAME + "-" + hash());
    }

    /**
     * The built default teacher's directory, for {@code gold serve --model arithmetic}.
     *
     * @return the checkpoint directory
     * @throws IllegalArgumentException when it is not built, naming the command that builds it
     */
    static Path builtDefault() {
        Path dir = defaults().dir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the arithmetic teacher is not built (no " + dir + "); run"
                    + " `gold teacher build arithmetic` first (about an hour on 2 CPU cores)");
        }
        return dir;
    }

    static int build(Args a) {
        ArithmeticTeacher d = defaults();
        ArithmeticTeacher r = new ArithmeticTeacher(d.dataSha256, a.integer("lm-steps", d.lmSteps),
                a.integer("sft-steps", d.sftSteps), a.integer("sft2-steps", d.sft2Steps), a.integer("layers", d.layers),
                a.integer("dim", d.dim), a.integer("heads", d.heads), a.integer("mlp", d.mlp), a.integer("batch", d.batch),
                a.integer("test-limit", d.testLimit));
        a.done(List.of("--lm-steps", "--sft-steps", "--sft2-steps", "--layers", "--dim", "--heads", "--mlp", "--batch",
                "--test-limit"));
        if (r.lmSteps < 1 || r.sftSteps < 1 || r.sft2Steps < 1) {
            throw new UsageException("teacher build arithmetic: every stage needs >= 1 step, got " + r.lmSteps + ", "
                    + r.sftSteps + ", " + r.sft2Steps);
        }
        Path dir = r.dir();
        if (Files.isDirectory(dir)) {
            System.out.println("found " + dir);
            return 0;
        }
        long started = System.nanoTime();
        Path work = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(work);
            Path docs = work.resolve("docs.jsonl");
            writeDocuments(trainFile(), docs);
            LmCommand.run(new String[] {"train", "--data", docs.toString(), "--out", work.resolve("lm").toString(),
                "--layers", "" + r.layers, "--dim", "" + r.dim, "--heads", "" + r.heads, "--mlp", "" + r.mlp,
                "--context", "192", "--steps", "" + r.lmSteps, "--warmup", "" + Math.min(100, r.lmSteps / 10),
                "--batch", "" + r.batch, "--lr", "1e-3", "--min-lr", "1e-4", "--eval-every", "" + Math.min(500, r.lmSteps),
                "--eval-fraction", "0.02", "--seed", "1"});
            Path sft = r.stage(work, "sft", work.resolve("lm").resolve("best"), r.sftSteps, 1e-3, 1e-4, 50, 250, 1);
            Path sft2 = r.stage(work, "sft2", sft, r.sft2Steps, 1e-3, 5e-5, 20, 500, 5);
            Files.move(sft2, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the arithmetic teacher in " + work, e);
        } finally {
            delete(work);
        }
        System.out.printf(Locale.ROOT, "built %s in %.1f min%n", dir, (System.nanoTime() - started) / 6e10);
        return 0;
    }

    /** One SFT stage, as docs/distill/teacher-sft*.json configure it. */
    private Path stage(Path work, String name, Path init, int steps, double lr, double minLr, int warmup, int evalEvery,
            long seed) throws IOException {
        JsonObject train = new JsonObject();
        train.addProperty("learningRate", lr);
        train.addProperty("minLearningRate", minLr);
        train.addProperty("warmupSteps", Math.min(warmup, Math.max(0, steps / 10)));
        train.addProperty("maxSteps", steps);
        train.addProperty("batchSize", batch);
        train.addProperty("evalEvery", Math.min(evalEvery, steps));
        train.addProperty("logEvery", 10);
        train.addProperty("seed", seed);
        JsonObject student = new JsonObject();
        student.addProperty("init", init.toString());
        JsonObject config = new JsonObject();
        config.addProperty("task", "arithmetic-answer");
        config.add("student", student);
        config.addProperty("validation", 200);
        config.addProperty("regime", "sft");
        config.addProperty("maxNewTokens", 48);
        config.addProperty("testLimit", testLimit);
        config.add("train", train);
        Path file = work.resolve(name + ".json");
        Files.writeString(file, new Gson().toJson(config), StandardCharsets.UTF_8);
        Path out = work.resolve(name);
        DistillCommand.run(new String[] {"--config", file.toString(), "--out", out.toString()});
        return out;
    }

    /** "body question\nanswer" per train example, as run.sh's stage 1 writes them. */
    private static void writeDocuments(Path train, Path docs) throws IOException {
        List<String> lines = new ArrayList<>();
        Gson gson = new Gson();
        for (String line : Files.readAllLines(train, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject r = JsonParser.parseString(line).getAsJsonObject();
            JsonObject doc = new JsonObject();
            doc.addProperty("text", r.get("body").getAsString() + " " + r.get("question").getAsString() + "\n"
                    + r.get("answer").getAsString());
            lines.add(gson.toJson(doc));
        }
        Files.write(docs, lines, StandardCharsets.UTF_8);
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

    private static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no arithmetic train file at " + file + "; run from the checkout");
        }
        return Sha256.hex(file);
    }
}
