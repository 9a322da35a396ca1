package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;

/**
 * The chunk loop that the fused heads share ({@link FusedHeadDivergence}, {@link FusedHeadCrossEntropy}):
 * a chunk of positions at a time, the logits z_c = h_c W^T are made, a loss gives its weighted value and
 * its gradient G_c with respect to z_c, and
 *
 * <pre>
 *   dL/dh_c = G_c W          (C, D)
 *   dL/dW  += G_c^T h_c      (V, D)
 * </pre>
 *
 * <p>so that nothing of size positions x vocabulary exists.
 */
final class FusedHead {

    private FusedHead() {}

    /** A chunk's weighted loss and its gradient with respect to the chunk's logits. */
    record Chunk(NDArray value, NDArray gradient) {}

    /** The loss of one chunk of positions, from its logits. */
    @FunctionalInterface
    interface ChunkLoss {
        /**
         * The chunk's loss.
         *
         * @param chunk the chunk's manager: temporaries go here
         * @param z (C, V) the chunk's logits, no gradient
         * @param start the chunk's first position
         * @param end one past its last
         * @param weights (C,) the reduction's weights of these positions, 0 where a position does not count
         * @return sum_i w_i loss_i, a scalar, and d(that)/dz, (C, V)
         */
        Chunk apply(NDManager chunk, NDArray z, long start, long end, NDArray weights);
    }

    /**
     * The loss and its gradients, chunk by chunk.
     *
     * @param hidden (..., T, D)
     * @param head (V, D)
     * @param labels (..., T), the ignore index where a position does not count
     * @param reduction the reduction, whose weights each chunk's loss receives
     * @param ignoreIndex the label of positions that do not count
     * @param chunkSize positions per chunk
     * @param loss the chunk loss
     * @return the detached loss and gradients, attached to the hidden states' manager
     */
    static FusedHeadDivergence.Result valueAndGradient(
            NDArray hidden,
            NDArray head,
            NDArray labels,
            Reduction reduction,
            int ignoreIndex,
            int chunkSize,
            ChunkLoss loss) {
        Shape shape = checkShapes(hidden, head, labels);
        long n = shape.size() / shape.tail();
        long d = shape.tail();
        NDManager owner = hidden.getManager();
        NDArray hiddenGradient = owner.zeros(new Shape(n, d)); // (N, D)
        NDArray headGradient = owner.zeros(head.getShape()); // (V, D)
        NDArray total = owner.zeros(new Shape());
        try (NDManager scope = Ops.scope(hidden, head, labels)) {
            NDArray h = hidden.stopGradient().reshape(n, d); // (N, D)
            NDArray w = head.stopGradient(); // (V, D)
            NDArray weights =
                    reduction.weights(Reduction.validMask(labels, ignoreIndex)).reshape(n);
            for (long start = 0; start < n; start += chunkSize) {
                long end = Math.min(n, start + chunkSize);
                NDIndex rows = new NDIndex().addSliceDim(start, end);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray hc = h.get(chunk, rows); // (C, D)
                    NDArray z = hc.matMul(w.transpose()); // (C, V)
                    Chunk c = loss.apply(chunk, z, start, end, weights.get(chunk, rows));
                    hiddenGradient.set(rows, c.gradient().matMul(w)); // (C, D)
                    headGradient.addi(c.gradient().transpose().matMul(hc)); // (V, D)
                    total.addi(c.value().stopGradient());
                }
            }
        }
        return new FusedHeadDivergence.Result(total, hiddenGradient.reshape(shape), headGradient);
    }

    /** A native loop over the chunks ({@link FusedHeadKernel}), from the flattened inputs. */
    @FunctionalInterface
    interface NativeLoop {
        /**
         * The loss and its gradients.
         *
         * @param h (N, D), detached
         * @param w (V, D), detached
         * @param weights (N,) the reduction's weights, 0 where a position does not count
         * @param into null, or the head's own gradient to add {@code scale} dL/dW into
         * @param scale the gradients' factor, with {@code into}
         * @param owner where the results go
         * @return the loss and the (N, D) gradient, and the (V, D) one unless {@code into} took it
         */
        FusedHeadDivergence.Result run(
                NDArray h, NDArray w, NDArray weights, PtNDArray into, float scale, NDManager owner);
    }

    /**
     * The loss and its gradients from a native loop: the same shapes, weights and result as
     * {@link #valueAndGradient}.
     *
     * @param hidden (..., T, D)
     * @param head (V, D)
     * @param labels (..., T)
     * @param reduction the reduction
     * @param ignoreIndex the label of positions that do not count
     * @param loop the native loop
     * @return the detached loss and gradients, attached to the hidden states' manager
     */
    static FusedHeadDivergence.Result natively(
            NDArray hidden, NDArray head, NDArray labels, Reduction reduction, int ignoreIndex, NativeLoop loop) {
        return natively(hidden, head, labels, reduction, ignoreIndex, null, 1f, loop);
    }

    private static FusedHeadDivergence.Result natively(
            NDArray hidden,
            NDArray head,
            NDArray labels,
            Reduction reduction,
            int ignoreIndex,
            PtNDArray into,
            float scale,
            NativeLoop loop) {
        Shape shape = checkShapes(hidden, head, labels);
        long d = shape.tail();
        long n = shape.size() / d;
        NDManager owner = hidden.getManager();
        FusedHeadDivergence.Result flat;
        try (NDManager scope = Ops.scope(hidden, head, labels)) {
            NDArray weights =
                    reduction.weights(Reduction.validMask(labels, ignoreIndex)).reshape(n); // (N,)
            flat = loop.run(hidden.stopGradient().reshape(n, d), head.stopGradient(), weights, into, scale, owner);
        }
        NDArray hiddenGradient = flat.hiddenGradient().reshape(shape);
        if (hiddenGradient != flat.hiddenGradient()) {
            flat.hiddenGradient().close();
        }
        return new FusedHeadDivergence.Result(flat.loss(), hiddenGradient, flat.headGradient());
    }

    /**
     * Back-propagates a native loop's loss with dL/dW added straight into the head's own gradient (no
     * second (V, D) tensor), and dL/dh into the hidden states' graph; the hidden states and head must be
     * PyTorch arrays.
     *
     * @param hidden (..., T, D), the model's output before its head
     * @param head (V, D), the head parameter as the forward pass used it
     * @param labels (..., T)
     * @param reduction the reduction
     * @param ignoreIndex the label of positions that do not count
     * @param scale the gradients' factor; the value is not scaled
     * @param loop the native loop
     * @return the detached loss, or null where the head has no gradient of its own to add into (it is not
     *     a leaf): then nothing was computed
     */
    static NDArray nativeBackward(
            NDArray hidden,
            NDArray head,
            NDArray labels,
            Reduction reduction,
            int ignoreIndex,
            float scale,
            NativeLoop loop) {
        PtNDArray into = FusedHeadKernel.gradientOf((PtNDArray) head);
        if (into == null) {
            return null;
        }
        try (into) {
            FusedHeadDivergence.Result result =
                    natively(hidden, head, labels, reduction, ignoreIndex, into, scale, loop);
            JniUtils.backward((PtNDArray) hidden, (PtNDArray) result.hiddenGradient(), false, false);
            result.hiddenGradient().close();
            return result.loss();
        }
    }

    /** Checks hidden (..., D), head (V, D) and labels (...); returns the hidden states' shape. */
    private static Shape checkShapes(NDArray hidden, NDArray head, NDArray labels) {
        Shape shape = hidden.getShape();
        Shape positions = shape.slice(0, shape.dimension() - 1);
        if (!positions.equals(labels.getShape())) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " must have the hidden states' shape"
                    + " without the width axis, " + positions);
        }
        long d = shape.tail();
        if (head.getShape().dimension() != 2 || head.getShape().get(1) != d) {
            throw new IllegalArgumentException(
                    "head " + head.getShape() + " must be (V, " + d + ") for hidden states of width " + d);
        }
        return shape;
    }

    /**
     * Back-propagates a result's gradients, times {@code scale}: dL/dh into the hidden states' graph (and
     * so the model), dL/dW into the head's gradient; the gradients are closed after.
     *
     * @param collector the open gradient collector
     * @param hidden the hidden states the result was computed from
     * @param head the head
     * @param result the loss and its gradients
     * @param scale the gradients' factor; the value is not scaled
     * @return the detached loss
     */
    static NDArray backward(
            GradientCollector collector, NDArray hidden, NDArray head, FusedHeadDivergence.Result result, float scale) {
        if (scale != 1f) {
            Scalars.muli(result.hiddenGradient(), scale);
            Scalars.muli(result.headGradient(), scale);
        }
        if (hidden instanceof PtNDArray h
                && result.hiddenGradient() instanceof PtNDArray gh
                && head instanceof PtNDArray w
                && result.headGradient() instanceof PtNDArray gw) {
            JniUtils.backward(h, gh, false, false);
            JniUtils.backward(w, gw, false, false);
        } else {
            try (NDManager scope = Ops.scope(hidden, head)) {
                collector.backward(hidden.mul(result.hiddenGradient().stopGradient())
                        .sum()
                        .add(head.mul(result.headGradient().stopGradient()).sum()));
            }
        }
        result.hiddenGradient().close();
        result.headGradient().close();
        return result.loss();
    }
}
