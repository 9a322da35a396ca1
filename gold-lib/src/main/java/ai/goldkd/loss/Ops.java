package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.nd.Scalars;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/** The few tensor helpers the losses share; package-private on purpose. */
final class Ops {

    private Ops() {}

    /**
     * Opens a scope that owns every intermediate: the inputs are attached to it for its lifetime (so
     * that ops on them land in it), and go back to their managers when it closes. The same array
     * given twice is attached once.
     */
    static NDManager scope(NDArray first, NDArray... rest) {
        NDManager scope = NDManager.subManagerOf(first);
        List<NDArray> seen = new ArrayList<>();
        seen.add(first);
        scope.tempAttachAll(first);
        for (NDArray array : rest) {
            if (array != null && seen.stream().noneMatch(s -> s == array)) {
                seen.add(array);
                scope.tempAttachAll(array);
            }
        }
        return scope;
    }

    /**
     * The common frame of a divergence: checks the pair and the temperature, then computes
     * {@code body(log q, log p)} in a scope, where q is the student's distribution and p the teacher's
     * (detached), both at the temperature.
     *
     * @param student (..., V) student logits
     * @param teacher (..., V) teacher logits
     * @param temperature the softmax temperature
     * @param body maps (log q, log p), each (..., V), to per-position values (...)
     * @return the body's result, attached to the student's manager
     */
    static NDArray onLogProbabilities(
            NDArray student, NDArray teacher, float temperature, BinaryOperator<NDArray> body) {
        checkPair(student, teacher);
        checkTemperature(temperature);
        try (NDManager scope = scope(student, teacher)) {
            NDArray logQ = logSoftmax(student, temperature); // (..., V)
            NDArray logP = logSoftmax(teacher.stopGradient(), temperature); // (..., V)
            return scope.ret(body.apply(logQ, logP));
        }
    }

    /** log softmax(logits / temperature) over the last axis, in float32. */
    static NDArray logSoftmax(NDArray logits, float temperature) {
        return scaled(logits, temperature).logSoftmax(-1);
    }

    /** logits / temperature in float32 (no op when the temperature is 1). */
    static NDArray scaled(NDArray logits, float temperature) {
        NDArray x = logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
        return temperature == 1f ? x : Scalars.div(x, temperature);
    }

    /** KL(a || b) = sum_v exp(logA) * (logA - logB) over the last axis: (..., V) -> (...). */
    static NDArray kl(NDArray logA, NDArray logB) {
        try (NDManager scope = scope(logA, logB)) {
            NDArray product;
            try (NDArray a = logA.exp();
                    NDArray gap = logA.sub(logB)) { // (..., V), freed as soon as used
                product = a.mul(gap);
            }
            return scope.ret(product.sum(new int[] {-1}));
        }
    }

    /**
     * The softmax's vector-Jacobian product for g = log q - log r: scale * q * (g - sum_u q_u g_u) over
     * the last axis (..., V) -> (..., V). With q the student's distribution at temperature T and
     * scale = c / T, it is the gradient with respect to the logits of any D with dD/dq = c (log q - log r)
     * + const ({@link ClosedFormGradient}).
     */
    static NDArray softmaxPullback(NDArray logQ, NDArray logR, float scale) {
        try (NDManager scope = scope(logQ, logR)) {
            NDArray q = logQ.exp(); // (..., V)
            NDArray g = logQ.sub(logR); // (..., V)
            NDArray mean = q.mul(g).sum(new int[] {-1}, true); // (..., 1): sum_u q_u g_u
            return scope.ret(Scalars.muli(q.muli(g.subi(mean)), scale));
        }
    }

    /** scale * (exp(logQ) - exp(logP)) over (..., V): forward KL's gradient with respect to z, scale = 1 / T. */
    static NDArray probabilityGap(NDArray logQ, NDArray logP, float scale) {
        try (NDManager scope = scope(logQ, logP)) {
            return scope.ret(Scalars.muli(logQ.exp().subi(logP.exp()), scale));
        }
    }

    /**
     * log(w * exp(logA) + (1 - w) * exp(logB)), elementwise and stable (two-term logsumexp).
     * The endpoints w = 0 and w = 1 return logB and logA exactly.
     */
    static NDArray logMix(NDArray logA, NDArray logB, float w) {
        if (w == 0f) {
            return logB;
        }
        if (w == 1f) {
            return logA;
        }
        // Each (..., V) temporary is closed as soon as it is used, so at most five exist at once (a graph
        // keeps what its backward pass needs whether or not the Java handle is open).
        try (NDManager scope = scope(logA, logB);
                NDArray max = maxOf(logA, logB, w)) {
            NDArray sum;
            try (NDArray a = shiftedExp(logA, Math.log(w), max);
                    NDArray b = shiftedExp(logB, Math.log1p(-w), max)) {
                sum = a.add(b);
            }
            NDArray log = sum.log();
            sum.close();
            return scope.ret(log.add(max));
        }
    }

    /** max(logA + log w, logB + log(1 - w)), detached: the shift of {@link #logMix}'s logsumexp. */
    private static NDArray maxOf(NDArray logA, NDArray logB, float w) {
        try (NDArray a = Scalars.add(logA, Math.log(w));
                NDArray b = Scalars.add(logB, Math.log1p(-w));
                NDArray max = a.maximum(b)) {
            return max.stopGradient();
        }
    }

    /** exp(x + c - shift), with the intermediate sums closed. */
    private static NDArray shiftedExp(NDArray x, double c, NDArray shift) {
        try (NDArray moved = Scalars.add(x, c);
                NDArray centred = moved.sub(shift)) {
            return centred.exp();
        }
    }

    /** Checks a temperature: finite and positive. */
    static float checkTemperature(float temperature) {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature " + temperature + " must be finite and > 0; use 1 for the plain softmax");
        }
        return temperature;
    }

    /** Checks that a parameter lies in [0, 1]. */
    static float checkUnit(String name, float value, String hint) {
        if (!(value >= 0f && value <= 1f)) {
            throw new IllegalArgumentException(name + " = " + value + " must be in [0, 1]; " + hint);
        }
        return value;
    }

    /** Checks that student and teacher logits have the same shape, with a rank of at least 1. */
    static void checkPair(NDArray student, NDArray teacher) {
        checkPair(student.getShape(), teacher.getShape());
    }

    /** {@link #checkPair(NDArray, NDArray)} on the logits' shapes. */
    static void checkPair(Shape student, Shape teacher) {
        if (!student.equals(teacher)) {
            long vs = student.tail();
            long vt = teacher.tail();
            String why = vs != vt
                    ? "student vocab " + vs + " != teacher vocab " + vt
                            + "; token-level KD needs a shared vocabulary: use sequence-level KD (train on"
                            + " teacher-generated text) instead"
                    : "student logits " + student + " != teacher logits " + teacher
                            + "; give both for the same positions";
            throw new IllegalArgumentException(why);
        }
        if (student.dimension() < 1) {
            throw new IllegalArgumentException("logits must have shape (..., V); got a scalar");
        }
    }
}
