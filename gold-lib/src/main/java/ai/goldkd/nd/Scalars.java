package ai.goldkd.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an array and a number, with the number held in PyTorch's own memory so that a
 * graph that keeps it for backward reads the number, not freed memory (see the package's note).
 * Use these, not {@code NDArray.mul(Number)} and friends, for anything a gradient may flow through.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * The number as a 0-d array on {@code like}'s manager, device and data type, allocated by the
     * engine (not backed by a Java buffer).
     *
     * @param like where and of which type
     * @param value the number
     * @return the 0-d array
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** x + c. */
    public static NDArray add(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.add(number);
        }
    }

    /** x * c. */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.mul(number); // the graph keeps its own reference to the number
        }
    }

    /** x / c. */
    public static NDArray div(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.div(number); // the graph keeps its own reference to the number
        }
    }

    /** x * c in place; returns x. */
    public static NDArray muli(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.muli(number); // the graph keeps its own reference to the number
        }
    }

    /** max(x, c) elementwise. */
    public static NDArray maximum(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.maximum(number); // the graph keeps its own reference to the number
        }
    }

    /** min(x, c) elementwise. */
    public static NDArray minimum(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.minimum(number); // the graph keeps its own reference to the number
        }
    }

    /** x ^ c elementwise. */
    public static NDArray pow(NDArray x, double c) {
        try (NDArray number = of(x, c)) {
            return x.pow(number); // the graph keeps its own reference to the number
        }
    }
}
