package ai.goldkd.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A metric broken down by slice (template family, label, source): one {@link SliceScore} per slice. */
public final class Slices {

    private Slices() {}

    /**
     * Scores each slice separately.
     *
     * @param metric the metric
     * @param predictions one per reference
     * @param references the true answers
     * @param slices each sample's slice name, as many as predictions
     * @return one score per slice, sorted by slice name
     */
    public static List<SliceScore> score(
            Metric metric, List<String> predictions, List<String> references, List<String> slices) {
        Scores.checkPaired(predictions, references);
        if (slices.size() != predictions.size()) {
            throw new IllegalArgumentException(slices.size() + " slice names for " + predictions.size()
                    + " predictions; give every sample its slice");
        }
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < slices.size(); i++) {
            members.computeIfAbsent(slices.get(i), k -> new ArrayList<>()).add(i);
        }
        List<SliceScore> scores = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<String> p = new ArrayList<>();
            List<String> r = new ArrayList<>();
            for (int i : e.getValue()) {
                p.add(predictions.get(i));
                r.add(references.get(i));
            }
            scores.add(new SliceScore(e.getKey(), p.size(), metric.score(p, r)));
        }
        return scores;
    }

    /**
     * Accuracy by slice from per-sample verdicts.
     *
     * @param correct whether each sample was right
     * @param slices each sample's slice name, as many as verdicts
     * @return one accuracy per slice, sorted by slice name
     */
    public static List<SliceScore> accuracy(List<Boolean> correct, List<String> slices) {
        List<String> p = new ArrayList<>();
        List<String> r = new ArrayList<>();
        for (Boolean ok : correct) {
            p.add(Boolean.toString(ok));
            r.add("true");
        }
        return score(Metric.ACCURACY, p, r, slices);
    }
}
