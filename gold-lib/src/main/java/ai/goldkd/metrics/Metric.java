package ai.goldkd.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The metrics a task file can name, with the name it uses ({@code "accuracy"}, {@code "rouge-l"},
 * ...). Each scores a list of predictions against a list of references, mean over samples.
 */
public enum Metric {
    /** The fraction of exact label matches: {@link Classification#accuracy}. */
    ACCURACY("accuracy"),
    /** Unweighted mean of per-label F1: {@link Classification#macroF1}. */
    MACRO_F1("macro-f1"),
    /** Identical strings: {@link TextMatch#exactMatch(List, List)}. */
    EXACT_MATCH("exact-match"),
    /** Equal after SQuAD's normalisation: {@link TextMatch#squadExactMatch(List, List)}. */
    SQUAD_EXACT_MATCH("squad-exact-match"),
    /** SQuAD's token F1: {@link TextMatch#tokenF1(List, List)}. */
    TOKEN_F1("token-f1"),
    /** The predicted equation has the right value: {@link Answers#equationValueAccuracy}. */
    EQUATION_VALUE_ACCURACY("equation-value-accuracy"),
    /** The last number of a worked answer is right: {@link Answers#finalNumberAccuracy}. */
    FINAL_NUMBER_ACCURACY("final-number-accuracy"),
    /** LCS-based F1 of words: {@link RougeL#mean}. */
    ROUGE_L("rouge-l");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    /** The name task files use. */
    public String label() {
        return label;
    }

    /**
     * Finds a metric by the name task files use.
     *
     * @param name such as {@code "macro-f1"}, in any case
     * @return the metric
     */
    public static Metric parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Metric metric : values()) {
            if (metric.label.equals(key)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("metric '" + name + "' is unknown; use one of " + names());
    }

    /** The names of all metrics, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Metric::label).collect(Collectors.joining(", "));
    }

    /**
     * Scores predictions against references.
     *
     * @param predictions one per reference, in the same order
     * @param references the true answers
     * @return the metric, in [0, 1]
     */
    public double score(List<String> predictions, List<String> references) {
        return switch (this) {
            case ACCURACY -> Classification.accuracy(predictions, references);
            case MACRO_F1 -> Classification.macroF1(predictions, references);
            case EXACT_MATCH -> TextMatch.exactMatch(predictions, references);
            case SQUAD_EXACT_MATCH -> TextMatch.squadExactMatch(predictions, references);
            case TOKEN_F1 -> TextMatch.tokenF1(predictions, references);
            case EQUATION_VALUE_ACCURACY -> Answers.equationValueAccuracy(predictions, references);
            case FINAL_NUMBER_ACCURACY -> Answers.finalNumberAccuracy(predictions, references);
            case ROUGE_L -> RougeL.mean(predictions, references);
        };
    }
}
