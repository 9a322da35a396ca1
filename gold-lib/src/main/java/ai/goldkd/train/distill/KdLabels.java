package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a distillation batch's labels carry, by name: the targets always, the teacher's logits for the
 * token-level regimes, the advantage when a reward term is on. {@link DistillationLoss} picks its
 * equation from which of these are present. DJL hands a loss its labels as an {@link NDList}, so
 * {@link #toNDList()} and {@link #from} are the one place that knows their order.
 *
 * @param targets (B, T) next-token ids, {@link ai.goldkd.loss.Reduction#IGNORE_INDEX} on prompt and padding
 * @param teacherLogits (B, T, V) the teacher's logits, constants; null for SFT and SeqKD
 * @param advantage (B) reward minus the batch's mean reward per student sample; null without a reward
 *     term (needs teacher logits)
 */
public record KdLabels(NDArray targets, NDArray teacherLogits, NDArray advantage) {

    /** Checks that the targets are there and that an advantage comes with teacher logits. */
    public KdLabels {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; every distillation batch has (B, T) targets");
        }
        if (advantage != null && teacherLogits == null) {
            throw new IllegalArgumentException("an advantage without teacher logits; the reward term is added to"
                    + " a token-level divergence, so give the teacher's logits too");
        }
    }

    /**
     * The labels of SFT and SeqKD: the targets alone.
     *
     * @param targets (B, T)
     * @return the labels
     */
    public static KdLabels targetsOnly(NDArray targets) {
        return new KdLabels(targets, null, null);
    }

    /** The DJL form: {@code [targets]}, {@code [targets, teacherLogits]} or {@code [targets, teacherLogits, advantage]}. */
    public NDList toNDList() {
        NDList list = new NDList(targets);
        if (teacherLogits != null) {
            list.add(teacherLogits);
        }
        if (advantage != null) {
            list.add(advantage);
        }
        return list;
    }

    /**
     * Reads the DJL form back.
     *
     * @param labels as written by {@link #toNDList()}
     * @return the labels
     * @throws IllegalArgumentException when the list is empty or longer than three
     */
    public static KdLabels from(NDList labels) {
        if (labels.isEmpty() || labels.size() > 3) {
            throw new IllegalArgumentException("distillation labels hold 1 to 3 arrays (targets, teacher logits,"
                    + " advantage), got " + labels.size() + "; make them with KdLabels.toNDList()");
        }
        return new KdLabels(labels.get(0), labels.size() > 1 ? labels.get(1) : null,
                labels.size() > 2 ? labels.get(2) : null);
    }

    /** Whether the batch carries the teacher's logits (a token-level regime). */
    public boolean hasTeacher() {
        return teacherLogits != null;
    }
}
