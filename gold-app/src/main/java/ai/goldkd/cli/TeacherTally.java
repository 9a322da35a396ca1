package ai.goldkd.cli;

import ai.goldkd.gold.GoldMetrics;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.TeacherEndpoint;
import ai.goldkd.gold.TeacherSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run asked of its teacher, summed over the iterations this command ran, printed after the
 * run: calls that reached the teacher, the completion cache's hits and misses, and each replica's
 * answers and failures when the teacher lists several endpoints.
 */
final class TeacherTally {

    private double calls;
    private double hits = Double.NaN;
    private double misses;
    private final Map<Integer, double[]> endpoints = new TreeMap<>(); // answered, failed, alive
    private int iterations;

    /** Adds one iteration's teacher metrics. */
    void add(Iteration it) {
        iterations++;
        calls += zeroIfNaN(it.metric(GoldMetrics.TEACHER_CALLS));
        double h = it.metric(GoldMetrics.TEACHER_CACHE_HITS);
        if (!Double.isNaN(h)) {
            hits = (Double.isNaN(hits) ? 0 : hits) + h;
            misses += zeroIfNaN(it.metric(GoldMetrics.TEACHER_CACHE_MISSES));
        }
        for (int i = 0; ; i++) {
            double answered = it.metric(GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_ANSWERED));
            if (Double.isNaN(answered)) {
                break;
            }
            double[] v = endpoints.computeIfAbsent(i, k -> new double[3]);
            v[0] += answered;
            v[1] += zeroIfNaN(it.metric(GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_FAILED)));
            v[2] = it.metric(GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_ALIVE));
        }
    }

    /** Prints the summary line (nothing when no iteration ran). */
    void print(TeacherSpec spec) {
        if (iterations == 0) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "teacher: %.0f calls", calls));
        line.append(
                Double.isNaN(hits)
                        ? ", cache off"
                        : String.format(Locale.ROOT, ", cache %.0f hits / %.0f misses", hits, misses));
        List<TeacherEndpoint> replicas = spec.endpoints();
        List<String> parts = new ArrayList<>();
        endpoints.forEach((i, v) -> parts.add(String.format(
                Locale.ROOT,
                "%s answered %.0f, failed %.0f%s",
                i < replicas.size() ? replicas.get(i).url() : "endpoint " + i,
                v[0],
                v[1],
                v[2] == 0 ? " (dropped)" : "")));
        if (!parts.isEmpty()) {
            line.append("; ").append(String.join("; ", parts));
        }
        System.out.println(line);
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
