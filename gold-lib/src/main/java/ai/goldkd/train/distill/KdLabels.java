package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.loss.TopKDistribution;

/**
 * What a distillation batch's labels carry, by name: the targets always, the teacher's logits for the
 * token-level regimes, the advantage when a reward term is on. {@link DistillationLoss} picks its
 * equation from which of these are present. DJL hands a loss its labels as an {@link NDList}, so
 * {@link #toNDList()} and {@link #from} are the one place that knows their order. A top-k teacher
 * (an endpoint, a cache) gives its K ids and log-probabilities per position instead of logits.
 *
 * @param targets (B, T) next-token ids, {@link ai.goldkd.loss.Reduction#IGNORE_INDEX} on prompt and padding
 * @param teacherLogits (B, T, V) the teacher's logits, constants; null for SFT and SeqKD
 * @param advantage (B) reward minus the batch's mean reward per student sample; null without a reward
 *     term (needs teacher logits)
 * @param teacherTopK (B, T, K) the teacher's top-k ids and log-probabilities, constants; null unless the
 *     teacher is a {@link ai.goldkd.teacher.TopKTeacher} (then {@code teacherLogits} is null)
 * @param teacherHidden (B, T, D_t) the teacher's last hidden states, constants, in place of its logits when the
 *     student's head is fused ({@link DistillationConfig#fusedHead()}) and the teacher is local; else null
 * @param teacherHead (V, D_t) the teacher's head, with {@code teacherHidden}; else null
 */
public record KdLabels(
        NDArray targets,
        NDArray teacherLogits,
        NDArray advantage,
        TopKDistribution teacherTopK,
        NDArray teacherHidden,
        NDArray teacherHead) {

    /** Checks that the targets are there and that an advantage comes with teacher logits. */
    public KdLabels {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; every distillation batch has (B, T) targets");
        }
        if (teacherLogits != null && teacherTopK != null) {
            throw new IllegalArgumentException("both teacher logits and a top-k teacher; give one of them");
        }
        if ((teacherHidden == null) != (teacherHead == null)) {
            throw new IllegalArgumentException("the teacher's hidden states come with its head; give both or neither");
        }
        if (teacherHidden != null && (teacherLogits != null || teacherTopK != null || advantage != null)) {
            throw new IllegalArgumentException("the teacher's hidden states stand for its logits, without a reward"
                    + " term; give the hidden states and head alone");
        }
        if (advantage != null && teacherLogits == null && teacherTopK == null) {
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
        return new KdLabels(targets, null, null, null, null, null);
    }

    /**
     * Labels with a top-k teacher or dense teacher logits.
     *
     * @param targets (B, T)
     * @param teacherLogits (B, T, V), or null
     * @param advantage (B), or null
     * @param teacherTopK the top-k distributions, or null
     */
    public KdLabels(NDArray targets, NDArray teacherLogits, NDArray advantage, TopKDistribution teacherTopK) {
        this(targets, teacherLogits, advantage, teacherTopK, null, null);
    }

    /**
     * Labels with the teacher's hidden states and head (a fused head).
     *
     * @param targets (B, T)
     * @param teacherHidden (B, T, D_t)
     * @param teacherHead (V, D_t)
     * @return the labels
     */
    public static KdLabels ofHidden(NDArray targets, NDArray teacherHidden, NDArray teacherHead) {
        return new KdLabels(targets, null, null, null, teacherHidden, teacherHead);
    }

    /**
     * Labels with dense teacher logits.
     *
     * @param targets (B, T)
     * @param teacherLogits (B, T, V)
     * @param advantage (B), or null
     * @return the labels
     */
    public KdLabels(NDArray targets, NDArray teacherLogits, NDArray advantage) {
        this(targets, teacherLogits, advantage, null);
    }

    /**
     * The DJL form: {@code [targets]}, {@code [targets, teacherLogits]}, {@code [targets, teacherLogits,
     * advantage]}, with a top-k teacher {@code [targets, topIds (int64), topLogProbs, advantage?]}, or with
     * the teacher's hidden states {@code [targets, teacherHidden (B, T, D_t), teacherHead (V, D_t)]}.
     */
    public NDList toNDList() {
        NDList list = new NDList(targets);
        if (teacherLogits != null) {
            list.add(teacherLogits);
        }
        if (teacherTopK != null) {
            list.add(teacherTopK.ids());
            list.add(teacherTopK.logProbs());
        }
        if (teacherHidden != null) {
            list.add(teacherHidden);
            list.add(teacherHead);
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
     * @throws IllegalArgumentException when the list is empty or longer than three (four with a top-k teacher)
     */
    public static KdLabels from(NDList labels) {
        if (labels.size() >= 3 && labels.get(1).getDataType() == DataType.INT64) {
            TopKDistribution top = new TopKDistribution(labels.get(1), labels.get(2));
            return new KdLabels(labels.get(0), null, labels.size() > 3 ? labels.get(3) : null, top);
        }
        if (labels.size() == 3 && labels.get(2).getShape().dimension() == 2) {
            return ofHidden(labels.get(0), labels.get(1), labels.get(2)); // an advantage is (B)
        }
        if (labels.isEmpty() || labels.size() > 3) {
            throw new IllegalArgumentException("distillation labels hold 1 to 3 arrays (targets, teacher logits,"
                    + " advantage), got " + labels.size() + "; make them with KdLabels.toNDList()");
        }
        return new KdLabels(
                labels.get(0), labels.size() > 1 ? labels.get(1) : null, labels.size() > 2 ? labels.get(2) : null);
    }

    /** Whether the batch carries the teacher's logits or top-k distributions (a token-level regime). */
    public boolean hasTeacher() {
        return teacherLogits != null || teacherTopK != null || teacherHidden != null;
    }
}
