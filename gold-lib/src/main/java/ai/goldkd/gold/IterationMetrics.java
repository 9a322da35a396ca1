package ai.goldkd.gold;

import ai.goldkd.metrics.Diversity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One iteration's metrics as the loop gathers them, by the names in {@link GoldMetrics}. */
final class IterationMetrics {

    private final Map<String, Double> values = new LinkedHashMap<>();

    /** After a student update: its loss and its score on the real test set. */
    void update(double loss, LoopStudent.Score score, double evaluationSeconds) {
        values.put(GoldMetrics.STUDENT_LOSS, loss);
        values.put(GoldMetrics.STUDENT_ACCURACY, score.accuracy());
        score.slices().forEach((slice, value) -> values.put(GoldMetrics.STUDENT_ACCURACY_PREFIX + slice, value));
        values.put(GoldMetrics.SECONDS_EVALUATION, evaluationSeconds);
    }

    /** What the teacher's answers came to: asked, accepted, rejected by reason. */
    void batch(int asked, int accepted, List<Reject> rejects) {
        values.put(GoldMetrics.GENERATED, (double) asked);
        values.put(GoldMetrics.ACCEPTED, (double) accepted);
        values.put(GoldMetrics.REJECTED, (double) rejects.size());
        Map<String, Integer> reasons = new TreeMap<>();
        rejects.forEach(r -> reasons.merge(r.reason(), 1, Integer::sum));
        reasons.forEach((reason, n) -> values.put(GoldMetrics.REJECTED_PREFIX + reason, (double) n));
    }

    /**
     * The validation batch's energy percentiles, their spread (90th - 10th) and, once the threshold is
     * fixed, its OOD rate.
     */
    void energies(float[] energies, float oodThreshold) {
        if (energies.length == 0) {
            return;
        }
        for (double q : GoldMetrics.ENERGY_QUANTILES) {
            values.put(GoldMetrics.energyPercentile(q), (double) percentile(energies, q));
        }
        values.put(GoldMetrics.ENERGY_SPREAD, (double) (percentile(energies, 0.9) - percentile(energies, 0.1)));
        if (!Float.isNaN(oodThreshold)) {
            int above = 0;
            for (float e : energies) {
                above += e > oodThreshold ? 1 : 0;
            }
            values.put(GoldMetrics.OOD_RATE, above / (double) energies.length);
        }
    }

    /** The feedback chosen, and whether this iteration's prompts showed feedback. */
    void feedback(int chosen, boolean shown) {
        values.put(GoldMetrics.FEEDBACK, (double) chosen);
        values.put(GoldMetrics.FEEDBACK_SHOWN, shown ? 1.0 : 0.0);
    }

    /** Distinct-2 of the samples' texts and, when the student has a feature space, their spread in it. */
    void diversity(List<String> texts, float[][] features) {
        values.put(GoldMetrics.DISTINCT2, Diversity.distinctN(texts, 2));
        if (features != null) {
            values.put(GoldMetrics.SPREAD, Diversity.spread(features));
        }
    }

    /** Wall times, and what the teacher meter counted. */
    void timing(long startedNanos, long studentNanos, TeacherMeter teacher) {
        values.put(GoldMetrics.SECONDS, (System.nanoTime() - startedNanos) / 1e9);
        values.put(GoldMetrics.SECONDS_TEACHER, teacher.nanos() / 1e9);
        values.put(GoldMetrics.SECONDS_STUDENT, studentNanos / 1e9);
        teacher.putInto(values);
    }

    Map<String, Double> values() {
        return values;
    }

    /** The q-quantile by linear interpolation between the sorted values. */
    static float percentile(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return (float) (sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
