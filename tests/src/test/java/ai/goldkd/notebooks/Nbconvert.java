package ai.goldkd.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes a notebook the way a person's Jupyter does: plain {@code jupyter nbconvert --execute}, one
 * kernel start with Jupyter's 60 s limit, no retry. The kernel is the one {@code GOLD_KERNEL_NAME}
 * names, else the notebook's own ("gold").
 */
final class Nbconvert {

    static final Path ROOT =
            Path.of(System.getProperty("gold.root", ".")).toAbsolutePath().normalize();
    static final Path OUT = ROOT.resolve("tests/target/notebooks");

    private Nbconvert() {}

    /**
     * Runs every cell of the notebook at the smoke budget and returns the executed notebook.
     *
     * @param notebook the notebook
     * @return the executed copy, parsed
     */
    static JsonObject execute(Path notebook) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        String name = notebook.getFileName().toString();
        Path log = OUT.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=1800",
                "--ExecutePreprocessor.startup_timeout=60",
                "--output-dir",
                OUT.toString(),
                "--output",
                name));
        String kernel = System.getenv("GOLD_KERNEL_NAME");
        if (kernel != null && !kernel.isBlank()) {
            command.add("--ExecutePreprocessor.kernel_name=" + kernel);
        }
        command.add(notebook.toString());
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GOLD_BUDGET", "smoke");
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        Process process = pb.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(notebook + " did not finish in 20 minutes; log: " + log);
        }
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), notebook + " failed (log " + log + "):\n" + tail(logText));
        return JsonParser.parseString(Files.readString(OUT.resolve(name), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** The tags of a cell. */
    static List<String> tags(JsonObject cell) {
        JsonObject metadata = cell.getAsJsonObject("metadata");
        List<String> tags = new ArrayList<>();
        if (metadata != null && metadata.has("tags")) {
            metadata.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        }
        return tags;
    }

    /** A cell's source or an output's text, which Jupyter stores as one string or a list of lines. */
    static String text(JsonElement source) {
        if (source.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) source) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return source.getAsString();
    }
}
