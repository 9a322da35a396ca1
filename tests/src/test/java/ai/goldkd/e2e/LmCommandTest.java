package ai.goldkd.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gold lm train} and {@code gold lm sample} as a user runs them: a separate JVM per command. */
class LmCommandTest {

    static final Path ROOT =
            Path.of(System.getProperty("gold.root", ".")).toAbsolutePath().normalize();

    record Result(int exit, String out) {}

    /** Starts {@code gold ARGS} in a JVM of its own on the built jar, output and errors in one stream. */
    static Process start(String... args) throws IOException {
        Path lib = ROOT.resolve("gold-app/target");
        StringBuilder cp =
                new StringBuilder(lib.resolve("gold-app-0.1.0-SNAPSHOT.jar").toString());
        try (var jars = Files.list(lib.resolve("lib"))) {
            jars.sorted().forEach(j -> cp.append(File.pathSeparator).append(j));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp.toString(),
                "ai.goldkd.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static Result gold(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "gold " + String.join(" ", args) + " hung");
        return new Result(p.exitValue(), out);
    }

    @Test
    void trainsResumesAndSamples(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(i % 2 == 0 ? "the cat sat on the mat" : "a dog ran in the park");
        }
        Files.write(corpus, lines);
        Path out = dir.resolve("run");
        String[] model = {
            "--layers",
            "1",
            "--dim",
            "32",
            "--heads",
            "2",
            "--mlp",
            "64",
            "--context",
            "32",
            "--batch",
            "8",
            "--eval-every",
            "10",
            "--lr",
            "3e-3"
        };
        Result first = gold(concat(
                new String[] {"lm", "train", "--data", corpus.toString(), "--out", out.toString(), "--steps", "30"},
                model));
        assertEquals(0, first.exit(), first.out());
        assertTrue(Files.isRegularFile(out.resolve("model.json"))
                && Files.isRegularFile(out.resolve("best/model.params")));
        assertTrue(Files.readString(out.resolve("model.json")).contains("\"step\": 30"));

        // A longer run resumed from the checkpoint continues at step 30: metrics are appended, not restarted.
        Result resumed = gold(concat(
                new String[] {
                    "lm", "train", "--data", corpus.toString(), "--out", out.toString(), "--steps", "40", "--resume"
                },
                model));
        assertEquals(0, resumed.exit(), resumed.out());
        assertTrue(Files.readString(out.resolve("model.json")).contains("\"step\": 40"));
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(
                1,
                metrics.stream()
                        .filter(l -> l.equals("run,iteration,step,metric,value"))
                        .count(),
                "one header");
        assertTrue(metrics.stream().anyMatch(l -> l.contains(",39,train_loss,")), "step 39 logged");
        assertEquals(
                0, metrics.stream().filter(l -> l.contains(",0,train_loss,")).count() - 1, "step 0 logged once");

        Result cached = gold(
                "lm",
                "sample",
                "--model",
                out.toString(),
                "--prompt",
                "the ",
                "--temperature",
                "0",
                "--max-new-tokens",
                "12");
        Result uncached = gold(
                "lm",
                "sample",
                "--model",
                out.toString(),
                "--prompt",
                "the ",
                "--temperature",
                "0",
                "--max-new-tokens",
                "12",
                "--no-cache");
        assertEquals(0, cached.exit(), cached.out());
        assertEquals(firstLine(cached.out()), firstLine(uncached.out()), "greedy decoding with and without the cache");
        assertTrue(firstLine(cached.out()).startsWith("the "));
    }

    @Test
    void badInputGetsAClearError(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        Result r = gold(
                "lm",
                "train",
                "--data",
                empty.toString(),
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("holds no documents"), r.out());
        r = gold("lm", "train", "--data", empty.toString(), "--out", dir.toString(), "--stepz", "3");
        assertTrue(r.out().contains("unknown option(s) [--stepz]"), r.out());
        r = gold("lm", "sample", "--model", dir.resolve("none").toString(), "--prompt", "x");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("does not exist"), r.out());
    }

    @Test
    void quickBenchmarkRunsAndWritesItsFigures(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Result r = gold("bench", "--quick", "--out", json.toString());
        assertEquals(0, r.exit(), r.out());
        String text = Files.readString(json);
        for (String key : new String[] {
            "train_tokens_per_s_batch16",
            "sample_tokens_per_s_batch1_cache",
            "sample_tokens_per_s_batch16_nocache",
            "energy_samples_per_s_encoder"
        }) {
            assertTrue(text.matches("(?s).*\"" + key + "\": [0-9.]+.*"), key + " in " + text);
        }
    }

    static String firstLine(String text) {
        return text.lines()
                .filter(l -> !l.startsWith("[") && !l.contains("tokens/s") && !l.contains("WARN"))
                .findFirst()
                .orElse("");
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
