package ai.goldkd.gold;

import java.util.List;
import java.util.Map;

/**
 * What one iteration of the loop produced.
 *
 * @param index the iteration, from 0
 * @param train the accepted training samples
 * @param validation the accepted OOD-validation samples, each with its energy
 * @param feedback the validation samples chosen to go back to the teacher
 * @param rejects the generations that failed parsing or the task's rules
 * @param feedbackShown whether this iteration's prompts carried feedback
 * @param metrics the iteration's metrics by name (see {@link GoldLoop})
 */
public record Iteration(
        int index,
        List<GeneratedSample> train,
        List<GeneratedSample> validation,
        List<GeneratedSample> feedback,
        List<Reject> rejects,
        boolean feedbackShown,
        Map<String, Double> metrics) {

    /** Copies the lists. */
    public Iteration {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        feedback = List.copyOf(feedback);
        rejects = List.copyOf(rejects);
        metrics = Map.copyOf(metrics);
    }

    /** The validation energies, in sample order. */
    public float[] energies() {
        float[] out = new float[validation.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = validation.get(i).energy();
        }
        return out;
    }

    /** One line on what the iteration kept: its samples, its rejects and its feedback. */
    public String summary() {
        return "iteration " + index + ": " + train.size() + " training and " + validation.size()
                + " OOD-validation samples accepted, " + rejects.size() + " rejected, " + feedback.size()
                + " chosen as feedback";
    }

    /** One metric, or NaN when the iteration did not record it. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }
}
