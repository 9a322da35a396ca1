package ai.goldkd.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Measurements run in a process of their own (a child JVM or a Python script) that print one JSON line. */
final class Probes {

    private Probes() {}

    /**
     * Runs a process to its end and parses the last line of its output that is a JSON object.
     *
     * @param builder the process, its output merged
     * @param what what it measures, for the error
     * @return the JSON object
     */
    static JsonObject lastJson(ProcessBuilder builder, String what) {
        try {
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            String json = output.lines()
                    .filter(l -> l.startsWith("{"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (exit != 0 || json == null) {
                String tail = String.join(
                        "\n",
                        output.lines()
                                .skip(Math.max(0, output.lines().count() - 20))
                                .toList());
                throw new IllegalStateException(what + " failed (exit " + exit + "):\n" + tail);
            }
            return new Gson().fromJson(json, JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * {@link LlamaProbe} in a child JVM with this JVM's class path.
     *
     * @param args the probe's arguments
     * @return its JSON line
     */
    static JsonObject llama(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(
                List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), LlamaProbe.class.getName()));
        command.addAll(List.of(args));
        return lastJson(new ProcessBuilder(command), "the Llama probe " + args[0]);
    }
}
