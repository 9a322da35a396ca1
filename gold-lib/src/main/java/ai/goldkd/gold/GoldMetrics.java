package ai.goldkd.gold;

import java.util.Locale;

/**
 * The names of the metrics a GOLD run writes to metrics.csv and each iteration's metrics.json; the
 * loop, {@link GoldReport} and the console table read them from here.
 */
public final class GoldMetrics {

    private GoldMetrics() {}

    /** Samples asked of the teacher in the iteration. */
    public static final String GENERATED = "generated";
    /** Samples that parsed and passed the task's rules. */
    public static final String ACCEPTED = "accepted";
    /** Generations rejected, all reasons. */
    public static final String REJECTED = "rejected";
    /** Prefix of the rejected count per reason ({@code rejected_duplicate}). */
    public static final String REJECTED_PREFIX = "rejected_";
    /** Share of the validation batch above the OOD threshold fixed at iteration K. */
    public static final String OOD_RATE = "ood_rate";
    /** Validation samples chosen as feedback. */
    public static final String FEEDBACK = "feedback";
    /** 1 when the iteration's prompts carried feedback. */
    public static final String FEEDBACK_SHOWN = "feedback_shown";
    /** Distinct-2 of the iteration's samples. */
    public static final String DISTINCT2 = "distinct2";
    /** Mean cosine distance of the iteration's samples to their centroid in the student's feature space. */
    public static final String SPREAD = "spread";
    /** The iteration's wall time. */
    public static final String SECONDS = "seconds";
    /** Wall time in the teacher's calls (the loop's clock). */
    public static final String SECONDS_TEACHER = "seconds_teacher";
    /** Wall time training and scoring the student. */
    public static final String SECONDS_STUDENT = "seconds_student";
    /** Wall time scoring the real test set. */
    public static final String SECONDS_EVALUATION = "seconds_evaluation";
    /** The student's training loss after an update. */
    public static final String STUDENT_LOSS = "student_loss";
    /** The loop student's score on the real test set by the task's metric, after an update. */
    public static final String STUDENT_ACCURACY = "student_accuracy";
    /** Prefix of the loop student's score per slice ({@code student_accuracy_addition}). */
    public static final String STUDENT_ACCURACY_PREFIX = "student_accuracy_";
    /** The final student's score on the real test set (the row after the last iteration). */
    public static final String FINAL_ACCURACY = "final_accuracy";
    /** Prefix of the final student's score per slice. */
    public static final String FINAL_ACCURACY_PREFIX = "final_accuracy_";
    /** The samples the final student trained on. */
    public static final String FINAL_SAMPLES = "final_samples";
    /** Generation requests sent to the teacher. */
    public static final String TEACHER_CALLS = "teacher_calls";
    /** Prompt tokens the teacher read (as an endpoint reports them; 0 where a teacher cannot count them). */
    public static final String TEACHER_PROMPT_TOKENS = "teacher_prompt_tokens";
    /** Completion tokens the teacher wrote (as an endpoint reports them, or the offline teacher's own count). */
    public static final String TEACHER_COMPLETION_TOKENS = "teacher_completion_tokens";
    /** Wall time in the teacher's calls, as the teacher meter measures it. */
    public static final String TEACHER_SECONDS = "teacher_seconds";
    /** Attempts an endpoint client retried (0 for offline teachers). */
    public static final String TEACHER_RETRIES = "teacher_retries";
    /** Requests the teacher failed (an endpoint gave up, or an offline teacher threw). */
    public static final String TEACHER_FAILURES = "teacher_failures";

    /**
     * The validation batch's energy spread: its 90th minus its 10th energy percentile (nats). Near 0 when
     * the student scores every sample alike (an untrained classifier: all at -log 2 for two classes).
     */
    public static final String ENERGY_SPREAD = "energy_spread";
    /** Requests answered from the completion cache, without a teacher call (absent when the cache is off). */
    public static final String TEACHER_CACHE_HITS = "teacher_cache_hits";
    /** Reproducible requests the cache did not hold, so the teacher answered them (and the cache kept them). */
    public static final String TEACHER_CACHE_MISSES = "teacher_cache_misses";
    /** Prefix of one replica's counts when the teacher lists several endpoints ({@code teacher_endpoint0_answered}). */
    public static final String ENDPOINT_PREFIX = "teacher_endpoint";
    /** Suffix: requests the replica answered. */
    public static final String ENDPOINT_ANSWERED = "answered";
    /** Suffix: requests the replica failed (each went to another replica). */
    public static final String ENDPOINT_FAILED = "failed";
    /** Suffix: 1 while the replica is in use, 0 once it was dropped for good. */
    public static final String ENDPOINT_ALIVE = "alive";

    /**
     * The name of one replica's count.
     *
     * @param index the replica's position in {@code teacher.endpoints}
     * @param what {@link #ENDPOINT_ANSWERED}, {@link #ENDPOINT_FAILED} or {@link #ENDPOINT_ALIVE}
     * @return e.g. {@code teacher_endpoint1_failed}
     */
    public static String endpoint(int index, String what) {
        return ENDPOINT_PREFIX + index + "_" + what;
    }

    /** Prefix of the validation batch's energy percentiles ({@code energy_p50}). */
    public static final String ENERGY_PREFIX = "energy_p";

    /**
     * The name of an energy percentile of the validation batch.
     *
     * @param q the quantile in [0, 1], e.g. 0.5
     * @return e.g. {@code energy_p50}
     */
    public static String energyPercentile(double q) {
        return String.format(Locale.ROOT, ENERGY_PREFIX + "%02d", Math.round(q * 100));
    }

    /** The percentiles the loop records, as quantiles. */
    static final double[] ENERGY_QUANTILES = {0.1, 0.25, 0.5, 0.75, 0.8, 0.9};
}
