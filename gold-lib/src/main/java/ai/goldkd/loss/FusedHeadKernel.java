package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.goldkd.nd.TorchScript;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused heads' chunk loops as one native call each: {@link FusedHead}'s loop written as a TorchScript
 * module ({@code fused_head.pt}, made by {@code make_fused_head.py} beside it, where the equations are) for
 * the generalized JSD (forward KL at beta 0, reverse KL at beta 1) and for the cross-entropy. Every (C, V)
 * intermediate lives in buffers made once per call, and dL/dW is added in place, into the head's own
 * gradient when it has one. What DJL's arrays cannot do (write a product into a given buffer, add a product
 * into a gradient) is what keeps the Java loop's memory at several (C, V) temporaries and a (V, D) product
 * per chunk.
 *
 * <p>It takes float32 PyTorch arrays on one device (and, for the JSD, a teacher given as logits or as hidden
 * states and a head); the fused losses use the Java loop for everything else.
 */
final class FusedHeadKernel {

    private static final String RESOURCE = "/ai/goldkd/loss/fused_head.pt";

    private FusedHeadKernel() {}

    /** Whether every array is a float32 PyTorch array on the first one's device. */
    static boolean handles(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (!(a instanceof PtNDArray)
                    || a.getDataType() != DataType.FLOAT32
                    || !a.getDevice().equals(arrays[0].getDevice())
                    || a.size() == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the kernel computes this divergence for these arrays.
     *
     * @param loss the loss
     * @param hidden the student's hidden states
     * @param head the student's head
     * @param teacher the teacher's rows
     * @return true for a generalized JSD over float32 PyTorch arrays on one device
     */
    static boolean handles(DivergenceLoss loss, NDArray hidden, NDArray head, FusedHeadDivergence.TeacherRows teacher) {
        if (!(loss.divergence() instanceof GeneralizedJsdForm)) {
            return false;
        }
        if (teacher instanceof FusedHeadDivergence.Head h) {
            return handles(hidden, head, h.hidden(), h.head());
        }
        return teacher instanceof FusedHeadDivergence.Logits l && handles(hidden, head, l.logits());
    }

    /**
     * The divergence and its gradients, in one call of the kernel.
     *
     * @param loss a loss the kernel {@link #handles}
     * @param hidden (N, D)
     * @param head (V, D)
     * @param teacher the teacher's rows, N of them
     * @param weights (N,) float32, the reduction's weights, 0 where a position does not count
     * @param chunkSize positions per chunk
     * @param into null, or the head's own gradient (V, D), which the kernel adds {@code scale} dL/dW to in
     *     place; the result's head gradient is then null
     * @param scale the gradients' factor (1 / micro-batches under gradient accumulation), with {@code into};
     *     the value is not scaled
     * @param manager where the results go
     * @return the loss (a scalar) and the (N, D) and (V, D) gradients, attached to {@code manager}
     */
    static FusedHeadDivergence.Result divergence(
            DivergenceLoss loss,
            NDArray hidden,
            NDArray head,
            FusedHeadDivergence.TeacherRows teacher,
            NDArray weights,
            int chunkSize,
            PtNDArray into,
            float scale,
            NDManager manager) {
        String method;
        Shape rows;
        List<NDArray> arrays = new ArrayList<>(List.of(hidden, head));
        if (teacher instanceof FusedHeadDivergence.Head h) {
            method = "with_head";
            rows = checkedHead(h);
            arrays.addAll(List.of(h.hidden(), h.head()));
        } else {
            FusedHeadDivergence.Logits l = (FusedHeadDivergence.Logits) teacher;
            method = "with_logits";
            rows = l.logits().getShape();
            arrays.add(l.logits());
        }
        // the same refusals as the Java loop's (Ops.checkPair), before any native work
        Ops.checkPair(new Shape(hidden.getShape().get(0), head.getShape().get(0)), rows);
        arrays.add(weights);
        List<IValue> args = new ArrayList<>();
        for (NDArray a : arrays) {
            args.add(IValue.from((PtNDArray) a));
        }
        args.add(IValue.from((double) ((GeneralizedJsdForm) loss.divergence()).beta()));
        args.add(IValue.from((double) loss.temperature()));
        return call(method, args, chunkSize, into, scale, manager);
    }

    /** The teacher's (N, V) logits shape, from its (N, D_t) hidden states and (V, D_t) head. */
    private static Shape checkedHead(FusedHeadDivergence.Head h) {
        long width = h.hidden().getShape().tail();
        if (h.head().getShape().get(1) != width) {
            throw new IllegalArgumentException("the teacher's head " + h.head().getShape() + " must be (V, " + width
                    + ") for its hidden states of width " + width);
        }
        return new Shape(h.hidden().getShape().get(0), h.head().getShape().get(0));
    }

    /**
     * The next-token cross-entropy and its gradients, in one call of the kernel.
     *
     * @param hidden (N, D), float32
     * @param head (V, D), float32
     * @param labels (N,) int64 token ids; any value where the weight is 0
     * @param weights (N,) float32, the reduction's weights, 0 where a position does not count
     * @param chunkSize positions per chunk
     * @param into null, or the head's own gradient, as in {@link #divergence}
     * @param scale the gradients' factor, with {@code into}
     * @param manager where the results go
     * @return the loss and the gradients, as {@link #divergence}'s
     */
    static FusedHeadDivergence.Result crossEntropy(
            NDArray hidden,
            NDArray head,
            NDArray labels,
            NDArray weights,
            int chunkSize,
            PtNDArray into,
            float scale,
            NDManager manager) {
        List<IValue> args = new ArrayList<>(List.of(
                IValue.from((PtNDArray) hidden),
                IValue.from((PtNDArray) head),
                IValue.from((PtNDArray) labels),
                IValue.from((PtNDArray) weights)));
        return call("cross_entropy", args, chunkSize, into, scale, manager);
    }

    private static FusedHeadDivergence.Result call(
            String method, List<IValue> args, int chunkSize, PtNDArray into, float scale, NDManager manager) {
        args.add(IValue.from((long) chunkSize));
        if (into != null) {
            method += "_into";
            args.add(IValue.from(into));
            args.add(IValue.from((double) scale));
        } else if (scale != 1f) {
            throw new IllegalArgumentException("scale " + scale + " needs a gradient to add into; scale the result");
        }
        try (IValue out = IValueUtils.runMethod(TorchScript.module(RESOURCE), method, args.toArray(IValue[]::new))) {
            IValue[] tuple = out.toIValueTuple();
            try {
                PtNDManager owner = (PtNDManager) manager;
                return new FusedHeadDivergence.Result(
                        tuple[0].toTensor(owner),
                        tuple[1].toTensor(owner),
                        into == null ? tuple[2].toTensor(owner) : null);
            } finally {
                for (IValue t : tuple) {
                    t.close();
                }
            }
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /**
     * The head's own gradient, to add dL/dW into: its {@code .grad}, made zero when a leaf that requires a
     * gradient has none yet (before a run's first backward pass), with one (V, D) allocation: the
     * gradient of {@code head.sum()} reaches the head as a broadcast view of a scalar, which autograd
     * copies into a new tensor of the head's layout. (Given a (V, D) tensor instead, it would copy that,
     * and two would exist at once.)
     *
     * @param head the head
     * @return the gradient (a new handle on it, for the caller to close), or null where the head has none
     *     and gets none (not a leaf, no gradient required, or gradients off)
     */
    static PtNDArray gradientOf(PtNDArray head) {
        PtNDArray gradient = JniUtils.getGradient(head);
        if (gradient != null || !JniUtils.isGradMode()) {
            return gradient;
        }
        boolean leaf;
        try (IValue w = IValue.from(head);
                IValue out = IValueUtils.runMethod(TorchScript.module(RESOURCE), "is_leaf", w)) {
            leaf = out.toBoolean();
        }
        if (!leaf) {
            return null;
        }
        try (NDManager scope = NDManager.subManagerOf(head)) {
            NDArray sum = head.sum();
            scope.tempAttachAll(sum);
            NDArray zero = scope.zeros(sum.getShape(), sum.getDataType());
            JniUtils.backward((PtNDArray) sum, (PtNDArray) zero, false, false);
        }
        return JniUtils.getGradient(head);
    }
}
