package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;

/**
 * The LM head and the next-token cross-entropy fused, a chunk of positions at a time: the model's last
 * hidden states h (N, D) and head W (V, D) and the labels go in; the loss and its gradients with respect
 * to h and W come out, and the (N, V) logits never exist (Liger Kernel's fused linear cross-entropy).
 *
 * <pre>
 *   z_c  = h_c W^T                                   (C, V)   the chunk's logits
 *   L    = sum_i w_i CE_i,   CE_i = -log softmax(z_i)[y_i]     w: the reduction's weights, 0 at ignored i
 *   G_c  = dL/dz_c = w_i (softmax(z_i) - onehot(y_i))         (C, V)   closed form, no autograd graph
 *   dL/dh_c = G_c W,   dL/dW = sum_c G_c^T h_c
 * </pre>
 *
 * <p>The value is {@link CrossEntropyLoss}'s with the same reduction; the gradients are autograd's
 * through it, up to float32 summation order. Peak memory above the inputs: a few (C, V) temporaries and
 * the (N, D) and (V, D) gradients. Over float32 PyTorch arrays the loop runs as one native call
 * ({@link #usesKernel}: two (C, V) buffers for the whole loop, dL/dW added into the head's own gradient
 * by {@link #backward}).
 */
public final class FusedHeadCrossEntropy {

    private final Reduction reduction;
    private final int ignoreIndex;
    private final int chunkSize;
    private final boolean kernel;

    /**
     * Creates the fused loss.
     *
     * @param reduction how positions are reduced (not none)
     * @param ignoreIndex the label of positions to skip, usually {@link Reduction#IGNORE_INDEX}
     * @param chunkSize positions per chunk, > 0; the (C, V) temporaries scale with it
     */
    public FusedHeadCrossEntropy(Reduction reduction, int ignoreIndex, int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize = " + chunkSize + " must be > 0; try 256 positions");
        }
        if (reduction == null || reduction.mode() == Reduction.Mode.NONE) {
            throw new IllegalArgumentException("reduction " + (reduction == null ? "null" : "none")
                    + " has no gradient to a scalar; use Reduction.tokenMean(), sequenceMean(), sum() or sumOver(n)");
        }
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
        this.chunkSize = chunkSize;
        this.kernel = true;
    }

    private FusedHeadCrossEntropy(Reduction reduction, int ignoreIndex, int chunkSize, boolean kernel) {
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
        this.chunkSize = chunkSize;
        this.kernel = kernel;
    }

    /**
     * The token mean with ignore index -100 ({@link CrossEntropyLoss#tokenMean()}'s loss), fused.
     *
     * @param chunkSize positions per chunk
     * @return the loss
     */
    public static FusedHeadCrossEntropy tokenMean(int chunkSize) {
        return new FusedHeadCrossEntropy(Reduction.tokenMean(), Reduction.IGNORE_INDEX, chunkSize);
    }

    /**
     * The loss and its gradients, chunk by chunk.
     *
     * @param hidden (..., T, D) the model's last hidden states, may be part of the model's graph
     * @param head (V, D) the head (or tied embedding)
     * @param labels (..., T) integer next-token ids, the ignore index where a position does not count
     * @return the detached loss and gradients, attached to the hidden states' manager
     */
    public FusedHeadDivergence.Result valueAndGradient(NDArray hidden, NDArray head, NDArray labels) {
        checkLabels(labels);
        if (usesKernel(hidden, head)) {
            return FusedHead.natively(hidden, head, labels, reduction, ignoreIndex, kernelLoop(labels));
        }
        NDArray flat = labels.reshape(-1);
        return FusedHead.valueAndGradient(
                hidden, head, labels, reduction, ignoreIndex, chunkSize, (chunk, z, start, end, wc) -> {
                    NDArray y = flat.get(chunk, new NDIndex().addSliceDim(start, end)); // (C,)
                    NDArray valid = y.neq(ignoreIndex);
                    NDArray safe = NDArrays.where(valid, y, y.zerosLike()).toType(DataType.INT64, false); // (C,)
                    NDArray logp = z.logSoftmax(-1); // (C, V)
                    NDArray picked = logp.gather(safe.expandDims(1), 1).squeeze(1); // (C,) log p(y_i)
                    NDArray value = picked.mul(wc).sum().neg();
                    NDArray p = logp.exp(); // (C, V) softmax
                    logp.close();
                    NDArray pyMinusOne = Scalars.add(picked.exp(), -1).expandDims(1); // (C, 1) p(y_i) - 1
                    NDArray g = p.scatter(safe.expandDims(1), pyMinusOne, 1); // softmax - onehot(y)
                    p.close();
                    return new FusedHead.Chunk(value, g.muli(wc.expandDims(1))); // (C, V)
                });
    }

    /**
     * Computes the loss chunk by chunk and back-propagates it: dL/dh into the hidden states' graph (and
     * so the model), dL/dW into the head's gradient.
     *
     * @param collector the open gradient collector of the training step
     * @param hidden (..., T, D), the model's output before its head
     * @param head (V, D), the head parameter as the forward pass used it
     * @param labels (..., T)
     * @param scale the gradients' factor (1 / micro-batches under gradient accumulation); the value is not scaled
     * @return the detached loss
     */
    public NDArray backward(GradientCollector collector, NDArray hidden, NDArray head, NDArray labels, float scale) {
        checkLabels(labels);
        if (usesKernel(hidden, head)) {
            NDArray value =
                    FusedHead.nativeBackward(hidden, head, labels, reduction, ignoreIndex, scale, kernelLoop(labels));
            if (value != null) {
                return value;
            }
        }
        return FusedHead.backward(collector, hidden, head, valueAndGradient(hidden, head, labels), scale);
    }

    /**
     * Whether the loss and its gradients are computed by the native kernel ({@link FusedHeadKernel}): for
     * float32 PyTorch arrays on one device; otherwise by the Java chunk loop.
     *
     * @param hidden the hidden states
     * @param head the head
     * @return true when the kernel runs
     */
    public boolean usesKernel(NDArray hidden, NDArray head) {
        return kernel && FusedHeadKernel.handles(hidden, head);
    }

    /**
     * The same loss computed by the Java chunk loop only, never by the native kernel.
     *
     * @return the loss without the kernel
     */
    public FusedHeadCrossEntropy withoutKernel() {
        return new FusedHeadCrossEntropy(reduction, ignoreIndex, chunkSize, false);
    }

    private static void checkLabels(NDArray labels) {
        if (labels.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "labels have type " + labels.getDataType() + "; give integer token ids (int32 or int64)");
        }
    }

    private FusedHead.NativeLoop kernelLoop(NDArray labels) {
        return (h, w, weights, into, scale, owner) -> {
            try (NDArray y = labels.reshape(-1).toType(DataType.INT64, false)) {
                return FusedHeadKernel.crossEntropy(h, w, y, weights, chunkSize, into, scale, owner);
            }
        };
    }

    /**
     * The loss alone, chunk by chunk, with no gradient (held-out evaluation): the (N, V) logits never exist
     * here either.
     *
     * @param hidden (..., T, D)
     * @param head (V, D)
     * @param labels (..., T)
     * @return the loss, a scalar without gradient, attached to the hidden states' manager
     */
    public NDArray value(NDArray hidden, NDArray head, NDArray labels) {
        long d = hidden.getShape().tail();
        long n = hidden.getShape().size() / d;
        NDArray total = hidden.getManager().zeros(new Shape());
        try (NDManager scope = Ops.scope(hidden, head, labels)) {
            NDArray h = hidden.stopGradient().reshape(n, d);
            NDArray w = head.stopGradient().transpose(); // (D, V)
            NDArray y = labels.reshape(n);
            NDArray weights =
                    reduction.weights(Reduction.validMask(labels, ignoreIndex)).reshape(n);
            for (long start = 0; start < n; start += chunkSize) {
                NDIndex rows = new NDIndex().addSliceDim(start, Math.min(n, start + chunkSize));
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray z = h.get(chunk, rows).matMul(w); // (C, V)
                    NDArray ce = CrossEntropyLoss.perToken(z, y.get(chunk, rows), ignoreIndex); // (C,)
                    total.addi(ce.mul(weights.get(chunk, rows)).sum());
                }
            }
        }
        return total;
    }

    /** How positions are reduced. */
    public Reduction reduction() {
        return reduction;
    }

    /** The label of positions that do not count. */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** Positions per chunk. */
    public int chunkSize() {
        return chunkSize;
    }
}
