package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;

/**
 * A {@link DivergenceLoss} computed over chunks of positions, so that memory stays bounded for large
 * vocabularies: the (N, V) temporaries of a divergence (log-softmaxes, mixtures, products) exist for
 * {@code chunkSize} positions at a time, never for all N.
 *
 * <p>Why this works: every reduction except {@code none} is a weighted sum, loss = sum_i w_i Div_i, with
 * weights from the labels only ({@link Reduction#weights}). So the loss, and its gradient with respect
 * to the student's logits z (N, V), are sums over chunks:
 *
 * <pre>
 *   loss = sum_c sum_{i in c} w_i Div_i          dloss/dz_c = d(sum_{i in c} w_i Div_i)/dz_c
 * </pre>
 *
 * <p>{@link #valueAndGradient} computes each chunk's gradient, in closed form when the divergence has one
 * ({@link ClosedFormGradient}: no graph at all), else by autograd on a detached copy of that chunk (so the
 * chunk's graph is freed before the next), writes it into one (N, V) buffer G, and leaves the model's
 * graph untouched; {@link #backward} then hands G to the model's backward pass as the logits' output
 * gradient (with other loss terms, back-propagate {@code sum(z * stopGradient(G))} with them instead).
 * Peak memory: the logits, the teacher's logits, G, and one chunk's
 * temporaries, instead of several (N, V) copies saved for the backward pass.
 */
public final class ChunkedDivergence {

    private final DivergenceLoss loss;
    private final int chunkSize;

    /**
     * The loss value (detached scalar) and its gradient with respect to the student's logits.
     *
     * @param loss the reduced loss, a scalar with no gradient
     * @param gradient dloss/dz, the student logits' shape, no gradient
     */
    public record LossAndGradient(NDArray loss, NDArray gradient) {}

    /**
     * Creates the chunked loss.
     *
     * @param loss the divergence, reduction, temperature and ignore index; the reduction is not {@code none}
     *     for the gradient methods
     * @param chunkSize positions per chunk, > 0; 1024 positions of a 32k vocabulary is 128 MB per float32 copy.
     *     About 2M logits per chunk (64 positions at 32k) kept the peak under 2x the logits (docs/benchmarks.md)
     */
    public ChunkedDivergence(DivergenceLoss loss, int chunkSize) {
        if (loss == null) {
            throw new IllegalArgumentException("loss is null; e.g. DivergenceLoss.of(Divergences.forwardKl())");
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize = " + chunkSize + " must be > 0; try 1024 positions");
        }
        this.loss = loss;
        this.chunkSize = chunkSize;
    }

    /**
     * The per-position divergence, computed chunk by chunk. Meant for evaluation (outside a gradient
     * collector): under a collector, every chunk's graph is kept for backward.
     *
     * @param studentLogits (..., V)
     * @param teacherLogits (..., V)
     * @return (...), attached to the student logits' manager
     */
    public NDArray perToken(NDArray studentLogits, NDArray teacherLogits) {
        Ops.checkPair(studentLogits, teacherLogits);
        Shape positions =
                studentLogits.getShape().slice(0, studentLogits.getShape().dimension() - 1);
        long vocab = studentLogits.getShape().tail();
        long n = positions.size();
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits)) {
            NDArray student = studentLogits.reshape(n, vocab); // (N, V)
            NDArray teacher = teacherLogits.reshape(n, vocab); // (N, V)
            NDList parts = new NDList();
            for (long start = 0; start < n; start += chunkSize) {
                NDIndex rows = new NDIndex().addSliceDim(start, Math.min(n, start + chunkSize));
                parts.add(loss.divergence().perToken(student.get(rows), teacher.get(rows), loss.temperature()));
            }
            NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0); // (N,)
            return scope.ret(all.reshape(positions));
        }
    }

    /**
     * The loss, computed chunk by chunk; for evaluation, like {@link #perToken}.
     *
     * @param studentLogits (..., T, V)
     * @param teacherLogits (..., T, V)
     * @param labels (..., T), ignore index where a position does not count
     * @return as {@link DivergenceLoss#compute}
     */
    public NDArray evaluate(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits, labels)) {
            NDArray perToken = perToken(studentLogits, teacherLogits);
            return scope.ret(loss.reduction().applyWithLabels(perToken, labels, loss.ignoreIndex()));
        }
    }

    /**
     * The loss and its gradient with respect to the student's logits, chunk by chunk. Call it inside
     * the training step's gradient collector (it calls {@code collector.backward} once per chunk, on
     * graphs that start from detached chunks, so the model's graph is not touched).
     *
     * @param collector the open gradient collector of the training step
     * @param studentLogits (..., T, V), may be part of the model's graph
     * @param teacherLogits (..., T, V)
     * @param labels (..., T)
     * @return the detached loss and dloss/dz, both attached to the student logits' manager
     */
    public LossAndGradient valueAndGradient(
            GradientCollector collector, NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        if (loss.reduction().mode() == Reduction.Mode.NONE) {
            throw new IllegalArgumentException("reduction none has no gradient to a scalar; use tokenMean(),"
                    + " sequenceMean(), sum() or sumOver(n)");
        }
        Ops.checkPair(studentLogits, teacherLogits);
        Shape shape = studentLogits.getShape();
        Shape positions = shape.slice(0, shape.dimension() - 1);
        if (!positions.equals(labels.getShape())) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " must have the logits' shape"
                    + " without the vocabulary axis, " + positions);
        }
        long vocab = shape.tail();
        long n = positions.size();
        NDManager owner = studentLogits.getManager();
        NDArray gradient = owner.zeros(new Shape(n, vocab)); // (N, V)
        NDArray total = owner.zeros(new Shape());
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits, labels)) {
            NDArray student = studentLogits.stopGradient().reshape(n, vocab); // (N, V)
            NDArray teacher = teacherLogits.stopGradient().reshape(n, vocab); // (N, V)
            NDArray weights = loss.reduction()
                    .weights(Reduction.validMask(labels, loss.ignoreIndex()))
                    .reshape(n); // (N,)
            for (long start = 0; start < n; start += chunkSize) {
                NDIndex rows = new NDIndex().addSliceDim(start, Math.min(n, start + chunkSize));
                try (NDManager chunk = scope.newSubManager()) {
                    // get(chunk, ...): every array of this chunk lives in, and dies with, its manager
                    NDArray w = weights.get(chunk, rows); // (C,)
                    NDArray t = teacher.get(chunk, rows); // (C, V)
                    NDArray valid = w.gt(0f); // (C,)
                    NDArray value;
                    NDArray g;
                    if (loss.divergence() instanceof ClosedFormGradient closed) {
                        ClosedFormGradient.PerTokenGradient pg =
                                closed.perTokenWithGradient(student.get(chunk, rows), t, loss.temperature());
                        value = weighted(valid, pg.perToken(), w).sum(); // ()
                        g = weighted(
                                valid.expandDims(1).broadcast(pg.gradient().getShape()),
                                pg.gradient(),
                                w.expandDims(1)); // (C, V)
                    } else {
                        NDArray z = student.get(chunk, rows).duplicate(); // (C, V), a leaf of its own graph
                        z.setRequiresGradient(true);
                        NDArray perToken = loss.divergence().perToken(z, t, loss.temperature()); // (C,)
                        value = weighted(valid, perToken, w).sum(); // ()
                        collector.backward(value);
                        g = z.getGradient(); // (C, V)
                    }
                    gradient.set(rows, g);
                    total.addi(value.stopGradient());
                }
            }
        }
        return new LossAndGradient(total, gradient.reshape(shape));
    }

    /** w * x where valid, 0 elsewhere (so a NaN or infinity at an ignored position does not leak). */
    private static NDArray weighted(NDArray valid, NDArray x, NDArray w) {
        try (NDArray zero = Scalars.of(x, 0)) {
            return NDArrays.where(valid, x.mul(w), zero);
        }
    }

    /**
     * Computes the loss chunk by chunk and backpropagates it into the student's logits' graph (and so
     * into the model). Use {@link #valueAndGradient} instead when the step has other loss terms, and add
     * {@code sum(z * G)} to them before one backward.
     *
     * @param collector the open gradient collector of the training step
     * @param studentLogits (..., T, V), the model's output
     * @param teacherLogits (..., T, V)
     * @param labels (..., T)
     * @return the detached loss value
     */
    public NDArray backward(GradientCollector collector, NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        return backward(collector, studentLogits, teacherLogits, labels, 1f);
    }

    /**
     * As {@link #backward(GradientCollector, NDArray, NDArray, NDArray)}, with the gradient multiplied by
     * {@code scale} (1 / micro-batches under gradient accumulation); the returned value is not scaled.
     *
     * @param collector the open gradient collector of the training step
     * @param studentLogits (..., T, V), the model's output
     * @param teacherLogits (..., T, V)
     * @param labels (..., T)
     * @param scale the factor of the gradient
     * @return the detached loss value
     */
    public NDArray backward(
            GradientCollector collector, NDArray studentLogits, NDArray teacherLogits, NDArray labels, float scale) {
        LossAndGradient result = valueAndGradient(collector, studentLogits, teacherLogits, labels);
        if (scale != 1f) {
            Scalars.muli(result.gradient(), scale);
        }
        if (studentLogits instanceof PtNDArray z && result.gradient() instanceof PtNDArray g) {
            // PyTorch takes G as the output gradient directly: no (N, V) product z * G, and no second
            // (N, V) gradient from that product's backward (measured: docs/benchmarks.md, JSD memory).
            JniUtils.backward(z, g, false, false);
        } else {
            try (NDManager scope = Ops.scope(studentLogits, result.gradient())) {
                collector.backward(surrogate(studentLogits, result.gradient()));
            }
        }
        result.gradient().close();
        return result.loss();
    }

    /**
     * sum(z * stopGradient(G)): a scalar whose gradient with respect to z is G. Its value is not the
     * loss.
     *
     * @param studentLogits z, (..., V)
     * @param gradient G, same shape
     * @return the scalar, attached to z's manager
     */
    public static NDArray surrogate(NDArray studentLogits, NDArray gradient) {
        return studentLogits.mul(gradient.stopGradient()).sum();
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
