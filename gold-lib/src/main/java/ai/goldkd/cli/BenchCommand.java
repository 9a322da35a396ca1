package ai.goldkd.cli;

import ai.goldkd.bench.Benchmarks;
import ai.goldkd.config.Devices;
import ai.goldkd.model.TransformerConfig;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code gold bench [--quick] [--out FILE.json]}: training and sampling throughput, as a table and JSON. */
final class BenchCommand {

    private BenchCommand() {}

    static int run(String[] args) {
        Args a = new Args("bench", args, Set.of("quick"));
        boolean quick = a.flag("quick");
        String out = a.string("out", null);
        a.done(List.of("--quick", "--out"));
        TransformerConfig reference = Benchmarks.REFERENCE;
        // Sampling 256 new tokens needs a longer context than the training reference's 128.
        TransformerConfig sampling = reference.withContext(quick ? 64 : 512);
        int newTokens = quick ? 32 : 256;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("device", Devices.describe());
        results.put("quick", quick);
        results.put("train_tokens_per_s_batch16", Benchmarks.trainingTokensPerSecond(
                quick ? reference.withLayers(1) : reference, 16, quick ? 1 : 3, quick ? 2 : 10));
        for (int batch : new int[] {1, 16}) {
            for (boolean cache : new boolean[] {true, false}) {
                String key = String.format(Locale.ROOT, "sample_tokens_per_s_batch%d_%s", batch, cache ? "cache" : "nocache");
                results.put(key, Benchmarks.samplingTokensPerSecond(sampling, batch, newTokens, cache, quick ? 1 : 2));
            }
        }
        for (Map.Entry<String, Object> e : results.entrySet()) {
            Object v = e.getValue();
            System.out.printf(Locale.ROOT, "%-40s %s%n", e.getKey(), v instanceof Double d ? String.format(Locale.ROOT, "%,.0f", d) : v);
        }
        if (out != null) {
            try {
                Files.writeString(Path.of(out), new GsonBuilder().setPrettyPrinting().create().toJson(results));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
        }
        return 0;
    }
}
