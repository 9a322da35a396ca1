package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;

/**
 * The LM head and the divergence fused, a chunk of positions at a time, so that no (positions x
 * vocabulary) tensor of either model exists: the student's last hidden states h (N, D) and head W (V, D)
 * go in, and so does the teacher (its logits, or its own hidden states and head, row chunk by row chunk);
 * the loss and its gradients with respect to h and W come out.
 *
 * <pre>
 *   z_c = h_c W^T                      (C, V)   the chunk's student logits
 *   G_c = d(sum_{i in c} w_i Div_i) / dz_c      (C, V)   closed form ({@link ClosedFormGradient}) or autograd
 *   dL/dh_c = G_c W                    (C, D)
 *   dL/dW  += G_c^T h_c                (V, D)
 * </pre>
 *
 * <p>with w the reduction's weights ({@link Reduction#weights}). Peak memory above the inputs: a few
 * (C, V) temporaries, the (N, D) and (V, D) gradients, and nothing of size N x V. A generalized JSD
 * (forward and reverse KL included) over float32 PyTorch arrays runs as one native call
 * ({@link #usesKernel}): four (C, V) buffers for the whole loop, and {@link #backward} adds dL/dW straight
 * into the head's own gradient, so no second (V, D) tensor exists either.
 */
public final class FusedHeadDivergence {

    /** The teacher's logits for a range of rows (positions), made on demand. */
    @FunctionalInterface
    public interface TeacherRows {

        /**
         * The teacher's logits of positions [start, end).
         *
         * @param manager where the chunk lives
         * @param start the first position
         * @param end one past the last
         * @return (end - start, V)
         */
        NDArray rows(NDManager manager, long start, long end);

        /**
         * Rows of given logits.
         *
         * @param teacherLogits (..., V) the teacher's logits
         * @return the rows
         */
        static TeacherRows ofLogits(NDArray teacherLogits) {
            return new Logits(teacherLogits
                    .stopGradient()
                    .reshape(-1, teacherLogits.getShape().tail()));
        }

        /**
         * Rows computed from the teacher's own last hidden states and head, chunk by chunk.
         *
         * @param teacherHidden (..., D_t)
         * @param teacherHead (V, D_t)
         * @return the rows
         */
        static TeacherRows ofHead(NDArray teacherHidden, NDArray teacherHead) {
            return new Head(
                    teacherHidden
                            .stopGradient()
                            .reshape(-1, teacherHidden.getShape().tail()),
                    teacherHead.stopGradient());
        }
    }

    /**
     * The teacher's logits, given.
     *
     * @param logits (N, V), detached
     */
    record Logits(NDArray logits) implements TeacherRows {
        @Override
        public NDArray rows(NDManager manager, long start, long end) {
            return logits.get(manager, new NDIndex().addSliceDim(start, end));
        }
    }

    /**
     * The teacher's logits from its last hidden states and head.
     *
     * @param hidden (N, D_t), detached
     * @param head (V, D_t), detached
     */
    record Head(NDArray hidden, NDArray head) implements TeacherRows {
        @Override
        public NDArray rows(NDManager manager, long start, long end) {
            NDArray h = hidden.get(manager, new NDIndex().addSliceDim(start, end)); // (C, D_t)
            return h.matMul(head.transpose()); // (C, V)
        }
    }

    /**
     * The loss and its gradients.
     *
     * @param loss the reduced loss, a scalar with no gradient
     * @param hiddenGradient dL/dh, the hidden states' shape
     * @param headGradient dL/dW, (V, D)
     */
    public record Result(NDArray loss, NDArray hiddenGradient, NDArray headGradient) {}

    private final DivergenceLoss loss;
    private final int chunkSize;
    private final boolean kernel;

    /**
     * Creates the fused loss.
     *
     * @param loss the divergence, reduction (not none), temperature and ignore index
     * @param chunkSize positions per chunk, > 0; the (C, V) temporaries scale with it
     */
    public FusedHeadDivergence(DivergenceLoss loss, int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize = " + chunkSize + " must be > 0; try 256 positions");
        }
        if (loss.reduction().mode() == Reduction.Mode.NONE) {
            throw new IllegalArgumentException("reduction none has no gradient to a scalar; use tokenMean(),"
                    + " sequenceMean(), sum() or sumOver(n)");
        }
        this.loss = loss;
        this.chunkSize = chunkSize;
        this.kernel = true;
    }

    private FusedHeadDivergence(DivergenceLoss loss, int chunkSize, boolean kernel) {
        this.loss = loss;
        this.chunkSize = chunkSize;
        this.kernel = kernel;
    }

    /**
     * The same loss computed by the Java chunk loop only, never by the native kernel: for comparing the
     * two (the values and gradients agree to float32 rounding; the kernel's memory and time are lower).
     *
     * @return the loss without the kernel
     */
    public FusedHeadDivergence withoutKernel() {
        return new FusedHeadDivergence(loss, chunkSize, false);
    }

    /**
     * What computes a divergence when the head is fused: null for a generalized JSD (forward and reverse
     * KL included), which the native kernel computes; otherwise a line that says which path does, for a
     * run to print once.
     *
     * @param divergence the divergence
     * @return null, or the note
     */
    public static String fallbackNote(Divergence divergence) {
        if (divergence instanceof GeneralizedJsdForm) {
            return null;
        }
        return "fused head with " + divergence.name() + ": no native kernel for it, so the Java chunk loop"
                + " differentiates it by autograd a chunk at a time, at more time and memory than a generalized"
                + " JSD's kernel";
    }

    /**
     * Whether {@link #valueAndGradient} runs the native kernel for these arrays: a generalized JSD
     * (forward and reverse KL included) over float32 PyTorch arrays, the teacher given by
     * {@link TeacherRows#ofLogits} or {@link TeacherRows#ofHead}. Otherwise the Java chunk loop runs,
     * with the divergence's closed-form gradient where it has one and autograd per chunk where not.
     *
     * @param hidden the student's hidden states
     * @param head the student's head
     * @param teacher the teacher's rows
     * @return true when the kernel runs
     */
    public boolean usesKernel(NDArray hidden, NDArray head, TeacherRows teacher) {
        return kernel && FusedHeadKernel.handles(loss, hidden, head, teacher);
    }

    /**
     * The loss and its gradients, chunk by chunk.
     *
     * @param collector the open gradient collector (used only by divergences without a closed form)
     * @param hidden (..., T, D) the student's last hidden states, may be part of the model's graph
     * @param head (V, D) the student's head (or tied embedding)
     * @param teacher the teacher's logits by rows
     * @param labels (..., T), the ignore index where a position does not count
     * @return the detached loss and gradients, attached to the hidden states' manager
     */
    public Result valueAndGradient(
            GradientCollector collector, NDArray hidden, NDArray head, TeacherRows teacher, NDArray labels) {
        if (usesKernel(hidden, head, teacher)) {
            return FusedHead.natively(hidden, head, labels, loss.reduction(), loss.ignoreIndex(), kernelLoop(teacher));
        }
        return FusedHead.valueAndGradient(
                hidden, head, labels, loss.reduction(), loss.ignoreIndex(), chunkSize, (chunk, z, start, end, wc) -> {
                    NDArray t = teacher.rows(chunk, start, end); // (C, V)
                    NDArray valid = wc.gt(0f);
                    if (loss.divergence() instanceof ClosedFormGradient closed) {
                        ClosedFormGradient.PerTokenGradient pg = closed.perTokenWithGradient(z, t, loss.temperature());
                        NDArray g = weighted(
                                valid.expandDims(1).broadcast(pg.gradient().getShape()),
                                pg.gradient(),
                                wc.expandDims(1)); // (C, V)
                        return new FusedHead.Chunk(
                                weighted(valid, pg.perToken(), wc).sum(), g);
                    }
                    NDArray leaf = z.duplicate();
                    leaf.setRequiresGradient(true);
                    NDArray perToken = loss.divergence().perToken(leaf, t, loss.temperature());
                    NDArray value = weighted(valid, perToken, wc).sum();
                    collector.backward(value);
                    return new FusedHead.Chunk(value, leaf.getGradient());
                });
    }

    /**
     * Computes the loss chunk by chunk and back-propagates it: dL/dh into the hidden states' graph (and
     * so the model), dL/dW into the head's gradient.
     *
     * @param collector the open gradient collector of the training step
     * @param hidden (..., T, D), the model's output before its head
     * @param head (V, D), the head parameter as the forward pass used it
     * @param teacher the teacher's logits by rows
     * @param labels (..., T)
     * @param scale the gradients' factor (1 / micro-batches under gradient accumulation); the value is not scaled
     * @return the detached loss
     */
    public NDArray backward(
            GradientCollector collector,
            NDArray hidden,
            NDArray head,
            TeacherRows teacher,
            NDArray labels,
            float scale) {
        if (usesKernel(hidden, head, teacher)) {
            NDArray value = FusedHead.nativeBackward(
                    hidden, head, labels, loss.reduction(), loss.ignoreIndex(), scale, kernelLoop(teacher));
            if (value != null) {
                return value;
            }
        }
        return FusedHead.backward(
                collector, hidden, head, valueAndGradient(collector, hidden, head, teacher, labels), scale);
    }

    private FusedHead.NativeLoop kernelLoop(TeacherRows teacher) {
        return (h, w, weights, into, scale, owner) ->
                FusedHeadKernel.divergence(loss, h, w, teacher, weights, chunkSize, into, scale, owner);
    }

    private static NDArray weighted(NDArray valid, NDArray x, NDArray w) {
        try (NDArray zero = Scalars.of(x, 0)) {
            return NDArrays.where(valid, x.mul(w), zero);
        }
    }

    /** The underlying loss. */
    public DivergenceLoss loss() {
        return loss;
    }

    /** Positions per chunk. */
    public int chunkSize() {
        return chunkSize;
    }
}
