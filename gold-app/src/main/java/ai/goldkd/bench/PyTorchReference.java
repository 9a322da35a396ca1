package ai.goldkd.bench;

import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch eager twin of the training and sampling benchmarks: a Python worker process running
 * {@code reference.py} (shipped in this package's resources) that answers one timing per request, so
 * its repetitions can alternate with ours. Same model, initialisation scheme, optimizer, sampler
 * settings and intra-op thread count.
 */
public final class PyTorchReference implements AutoCloseable {

    private static final Gson GSON = new Gson();

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;
    private final String version;

    private PyTorchReference(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.version = read().get("torch").getAsString();
    }

    /**
     * Starts the worker.
     *
     * @param python the Python interpreter; it needs torch >= 2.0
     * @param threads intra-op threads (torch.set_num_threads and OMP_NUM_THREADS)
     * @return the running worker; close it to stop it
     */
    public static PyTorchReference start(String python, int threads) {
        try {
            Path dir = Files.createTempDirectory("gold-bench");
            Path script = dir.resolve("reference.py");
            copy("reference.py", script);
            copy(HF_SCRIPT, dir.resolve(HF_SCRIPT));
            Path log = dir.resolve("reference.log");
            ProcessBuilder builder = new ProcessBuilder(python, script.toString(), Integer.toString(threads))
                    .redirectError(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + python + " (" + e.getMessage() + "); give a Python"
                        + " with torch >= 2.0 by --python PATH or GOLD_BENCH_PYTHON, e.g. environment/bench-python");
            }
            return new PyTorchReference(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the PyTorch reference", e);
        }
    }

    private static final String HF_SCRIPT = "hf_reference.py";

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream s = PyTorchReference.class.getResourceAsStream(resource)) {
            Files.copy(s, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The PyTorch version the worker runs. */
    public String version() {
        return version;
    }

    /**
     * Training steps, timed in the worker.
     *
     * @param config the model shape
     * @param batch sequences per step
     * @param steps steps timed
     * @return tokens per second
     */
    public double train(TransformerConfig config, int batch, int steps) {
        return ask(Map.of("op", "train", "config", shape(config), "batch", batch, "steps", steps));
    }

    /**
     * Sampling, timed in the worker.
     *
     * @param config the model shape
     * @param batch prompts decoded together
     * @param newTokens tokens per prompt
     * @param cache with a KV cache or not
     * @param rounds generations timed together
     * @return generated tokens per second
     */
    public double sample(TransformerConfig config, int batch, int newTokens, boolean cache, int rounds) {
        return ask(Map.of(
                "op",
                "sample",
                "config",
                shape(config),
                "batch",
                batch,
                "new_tokens",
                newTokens,
                "cache",
                cache,
                "rounds",
                rounds));
    }

    /**
     * Fine-tuning steps of a Llama checkpoint ({@code hf_reference.py}), timed in the worker.
     *
     * @param dir the Hugging Face directory
     * @param batch sequences per step
     * @param length tokens per sequence
     * @param steps steps timed
     * @return tokens per second
     */
    public double hfTrain(Path dir, int batch, int length, int steps) {
        return ask(Map.of("op", "hf_train", "dir", dir.toString(), "batch", batch, "length", length, "steps", steps));
    }

    /**
     * KV-cached sampling from a Llama checkpoint, timed in the worker.
     *
     * @param dir the Hugging Face directory
     * @param batch rows decoded together, one prompt token each
     * @param newTokens tokens per row
     * @return generated tokens per second
     */
    public double hfSample(Path dir, int batch, int newTokens) {
        return ask(Map.of("op", "hf_sample", "dir", dir.toString(), "batch", batch, "new_tokens", newTokens));
    }

    /**
     * TRL's GKD step in a Python process of its own ({@code hf_reference.py gkd}), so that its peak
     * resident memory is the step's.
     *
     * @param python the interpreter
     * @param threads intra-op threads
     * @param teacher the teacher's directory
     * @param student the student's directory
     * @param batch sequences per step
     * @param length tokens per sequence
     * @param warmup untimed steps first
     * @param steps timed steps
     * @return {@code tokens_per_s} and {@code peak_rss_mb}
     */
    public static JsonObject gkd(
            String python, int threads, Path teacher, Path student, int batch, int length, int warmup, int steps) {
        try {
            Path dir = Files.createTempDirectory("gold-bench-gkd");
            Path script = dir.resolve(HF_SCRIPT);
            copy(HF_SCRIPT, script);
            ProcessBuilder builder = new ProcessBuilder(
                            python,
                            script.toString(),
                            "gkd",
                            teacher.toString(),
                            student.toString(),
                            Integer.toString(batch),
                            Integer.toString(length),
                            Integer.toString(warmup),
                            Integer.toString(steps),
                            Integer.toString(threads))
                    .redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
            return Probes.lastJson(builder, "the PyTorch GKD step");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the PyTorch GKD step", e);
        }
    }

    private static Map<String, Object> shape(TransformerConfig c) {
        if (c.positions() != Positions.LEARNED || !c.tiedHead() || c.dropout() != 0f) {
            throw new IllegalArgumentException(
                    "the PyTorch reference has learned positions, a tied head and no" + " dropout; got " + c);
        }
        return Map.of(
                "layers",
                c.layers(),
                "dim",
                c.dim(),
                "heads",
                c.heads(),
                "mlp",
                c.mlpDim(),
                "vocab",
                c.vocab(),
                "context",
                c.context());
    }

    private double ask(Map<String, Object> request) {
        try {
            in.write(GSON.toJson(request));
            in.newLine();
            in.flush();
        } catch (IOException e) {
            throw failed("it stopped reading requests");
        }
        return read().get("tokens_per_s").getAsDouble();
    }

    private JsonObject read() {
        String line;
        try {
            line = out.readLine();
        } catch (IOException e) {
            line = null;
        }
        if (line == null) {
            throw failed("it ended without an answer");
        }
        return GSON.fromJson(line, JsonObject.class);
    }

    private IllegalStateException failed(String what) {
        String tail;
        try {
            List<String> lines = Files.readAllLines(log);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            tail = "(no log: " + e.getMessage() + ")";
        }
        return new IllegalStateException("the PyTorch reference failed: " + what + ". Its log (" + log + "):\n" + tail
                + "\nIt needs torch >= 2.0: environment/bench-python builds such a Python");
    }

    @Override
    public void close() {
        try {
            in.write("{\"op\": \"quit\"}");
            in.newLine();
            in.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
