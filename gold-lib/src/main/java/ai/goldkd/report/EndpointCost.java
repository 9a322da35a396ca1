package ai.goldkd.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each replica of a run's teacher did when the teacher lists several endpoints: the requests it
 * answered and failed, summed over iterations from the {@code teacher_endpoint<i>_*} rows of
 * metrics.csv, and whether it was still in use at the end; the replica is named by its URL in the
 * run's config ({@code teacher.endpoints[i].url}).
 */
public final class EndpointCost {

    private static final Pattern ROW = Pattern.compile("^teacher_endpoint(\\d+)_(answered|failed|alive)$");

    private EndpointCost() {}

    /**
     * Whether any run logged per-endpoint rows.
     *
     * @param comparison the runs
     * @return true when a row names a replica
     */
    public static boolean present(RunComparison comparison) {
        return comparison.runs().stream()
                .anyMatch(r -> r.metrics().stringColumn("metric").asList().stream()
                        .anyMatch(m -> ROW.matcher(m).matches()));
    }

    /**
     * One row per run and replica: method, seed, endpoint, answered, failed, state.
     *
     * @param comparison the runs
     * @return the table (no rows when no run lists several endpoints)
     */
    public static Table perEndpoint(RunComparison comparison) {
        StringColumn method = StringColumn.create("method");
        StringColumn seed = StringColumn.create("seed");
        StringColumn endpoint = StringColumn.create("endpoint");
        DoubleColumn answered = DoubleColumn.create("answered");
        DoubleColumn failed = DoubleColumn.create("failed");
        StringColumn state = StringColumn.create("at the end");
        for (MethodRuns m : comparison.methods()) {
            for (RunRecord r : m.runs()) {
                Map<Integer, double[]> byEndpoint = new TreeMap<>(); // answered, failed, alive at the last iteration
                Table t = r.metrics();
                for (int i = 0; i < t.rowCount(); i++) {
                    Matcher match = ROW.matcher(t.stringColumn("metric").get(i));
                    if (!match.matches()) {
                        continue;
                    }
                    double[] v =
                            byEndpoint.computeIfAbsent(Integer.parseInt(match.group(1)), k -> new double[] {0, 0, 1});
                    double value = t.doubleColumn("value").get(i);
                    switch (match.group(2)) {
                        case "answered" -> v[0] += value;
                        case "failed" -> v[1] += value;
                        default -> v[2] = value;
                    }
                }
                JsonArray urls = urls(r);
                byEndpoint.forEach((i, v) -> {
                    method.append(m.method());
                    seed.append(r.seedLabel());
                    endpoint.append(
                            urls != null
                                            && i < urls.size()
                                            && urls.get(i).isJsonObject()
                                            && urls.get(i).getAsJsonObject().has("url")
                                    ? urls.get(i).getAsJsonObject().get("url").getAsString()
                                    : "endpoint " + i);
                    answered.append(v[0]);
                    failed.append(v[1]);
                    state.append(v[2] == 0 ? "dropped" : "in use");
                });
            }
        }
        return Table.create(
                "Teacher endpoints per run (totals over iterations)", method, seed, endpoint, answered, failed, state);
    }

    /** The run's {@code teacher.endpoints}, or null when its config has none or does not read. */
    private static JsonArray urls(RunRecord r) {
        if (r.config() == null || !Files.isRegularFile(r.config())) {
            return null;
        }
        try {
            JsonElement tree = JsonParser.parseString(Files.readString(r.config()));
            JsonObject teacher =
                    tree.isJsonObject() && tree.getAsJsonObject().get("teacher") instanceof JsonObject o ? o : null;
            return teacher != null && teacher.get("endpoints") instanceof JsonArray a ? a : null;
        } catch (IOException | RuntimeException e) {
            return null; // the table then names the replica by its position
        }
    }
}
