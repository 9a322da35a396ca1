package ai.goldkd.gold;

import ai.goldkd.report.LiveChart;
import ai.goldkd.report.LiveCurves;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The loop's per-iteration metrics on one live chart that grows as the loop runs: give it to
 * {@link GoldLoop#finish(Consumer)}, {@link GoldLoop#runIterations} or {@link Gold#run(GoldConfig,
 * ai.goldkd.teacher.Generator, java.nio.file.Path, Consumer)}. In a notebook the chart is one output
 * that each iteration redraws; elsewhere a standalone page that each iteration rewrites.
 *
 * <pre>{@code
 * LiveIterations live = LiveIterations.of(Report.live(dir.resolve("iterations.html")), loop.iterations());
 * RunResult result = loop.finish(live);
 * }</pre>
 */
public final class LiveIterations implements Consumer<Iteration> {

    /** The metrics drawn: shares of 1, so that one axis holds them all. */
    public static final List<String> METRICS =
            List.of(GoldMetrics.STUDENT_ACCURACY, GoldMetrics.OOD_RATE, GoldMetrics.DISTINCT2);

    private static final Map<String, String> LABELS = Map.of(
            GoldMetrics.STUDENT_ACCURACY,
            "loop student's accuracy on real test reviews",
            GoldMetrics.OOD_RATE,
            "OOD rate of the validation batch",
            GoldMetrics.DISTINCT2,
            "distinct-2 of the samples");

    private final LiveCurves curves;

    private LiveIterations(LiveCurves curves) {
        this.curves = curves;
    }

    /**
     * A live chart of the loop's metrics, starting with the iterations already run.
     *
     * @param chart the chart, from {@code Report.live(path)}
     * @param done the iterations run so far (e.g. {@link GoldLoop#iterations()}), drawn first
     * @return the listener
     */
    public static LiveIterations of(LiveChart chart, List<Iteration> done) {
        LiveIterations live = new LiveIterations(
                LiveCurves.of(chart, "The loop, iteration by iteration", "iteration", "share (0 to 1)"));
        done.forEach(live);
        return live;
    }

    @Override
    public void accept(Iteration it) {
        Map<String, Double> values = new LinkedHashMap<>();
        METRICS.forEach(m -> values.put(LABELS.get(m), it.metric(m)));
        curves.add(it.index(), values);
    }

    /** The curves drawn, with every point as a table ({@link LiveCurves#table()}). */
    public LiveCurves curves() {
        return curves;
    }
}
