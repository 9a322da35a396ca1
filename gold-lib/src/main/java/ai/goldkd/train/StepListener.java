package ai.goldkd.train;

import ai.goldkd.report.LiveCurves;

import java.util.Map;

/**
 * Told about each step a training run logs (every {@link TrainConfig#logEvery()} steps and the last),
 * with the values it wrote to its metrics: what redraws a live loss curve while the run goes.
 *
 * <pre>{@code
 * LiveCurves loss = LiveCurves.of(Report.live(dir.resolve("loss.html")), "Training loss", "step", "loss (nats/token)");
 * compare.withListener(StepListener.curve(loss, "train_loss"))
 * }</pre>
 */
@FunctionalInterface
public interface StepListener {

    /**
     * One logged step.
     *
     * @param run the run's name (its metrics' {@code run} column, or the label a caller gave it)
     * @param iteration the outer iteration (0 for plain training)
     * @param step the optimizer step
     * @param values the metrics logged at the step, by name ({@code train_loss}, {@code eval_score}, ...)
     */
    record Step(String run, int iteration, long step, Map<String, Double> values) {

        /** Copies the values. */
        public Step {
            values = Map.copyOf(values);
        }

        /**
         * The same step under another run name.
         *
         * @param name the run's label
         * @return the step
         */
        public Step named(String name) {
            return new Step(name, iteration, step, values);
        }
    }

    /**
     * Called after the step's values are written to the metrics file.
     *
     * @param step what was logged
     */
    void logged(Step step);

    /** A listener that does nothing. */
    static StepListener none() {
        return step -> {};
    }

    /**
     * A listener that adds one metric of each logged step to live curves, one curve per run.
     *
     * @param curves the curves (a live chart)
     * @param metric the metric, e.g. {@code train_loss}
     * @return the listener
     */
    static StepListener curve(LiveCurves curves, String metric) {
        if (curves == null || metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("curve needs live curves and a metric name such as train_loss");
        }
        return step -> {
            Double value = step.values().get(metric);
            if (value != null) {
                curves.add(step.run(), step.step(), value);
            }
        };
    }

    /**
     * This listener, told every step under one run name.
     *
     * @param run the run's label
     * @return the listener
     */
    default StepListener named(String run) {
        return step -> logged(step.named(run));
    }
}
