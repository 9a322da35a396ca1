package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.util.Pair;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.SafetensorsFile;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.nd.TorchScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW over all of a model's parameters in one native call, with libtorch's fused kernel (the one
 * {@code torch.optim.AdamW(fused=True)} runs), and the global gradient norm in another, as
 * {@code torch.nn.utils.clip_grad_norm_} computes it. For each parameter p with gradient g, at step t:
 *
 * <pre>
 *   g <- g * c                                  c = the clipping factor (1: no clipping)
 *   p <- p (1 - lr wd)
 *   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
 *   p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 *   g <- 0
 * </pre>
 *
 * <p>The kernel reads p, g, m and v once and writes p, m and v once, where a per-parameter update makes
 * about a dozen passes over each; the code is a TorchScript module without parameters
 * ({@code fused_adamw.pt}, written by {@code make_fused_adamw.py} beside it). The moments and step
 * counts live here, one set per parameter, created at its first step.
 */
final class FusedAdamW {

    private static final String RESOURCE = "/ai/goldkd/train/fused_adamw.pt";

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final Map<NDArray, State> states = new IdentityHashMap<>();

    /** One parameter's moments and step count (a float32 scalar, as the kernel wants). */
    private record State(PtNDArray mean, PtNDArray variance, PtNDArray step) {}

    /**
     * Creates the optimizer with PyTorch's defaults for the moments.
     *
     * @param weightDecay the decoupled weight decay
     */
    FusedAdamW(float weightDecay) {
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.eps = 1e-8f;
        this.weightDecay = weightDecay;
    }

    /** The TorchScript module, loaded once per process. */
    private static PtSymbolBlock module() {
        return TorchScript.module(RESOURCE);
    }

    /**
     * The global L2 norm of the gradients: the norm of the per-parameter norms.
     *
     * @param gradients the gradients
     * @return the norm
     */
    double norm(List<NDArray> gradients) {
        if (gradients.isEmpty()) {
            return 0;
        }
        try (IValue list = IValue.listFrom(pt(gradients));
                IValue out = IValueUtils.runMethod(module(), "norm", list);
                NDManager scope = NDManager.subManagerOf(gradients.get(0))) {
            return out.toTensor((PtNDManager) scope).getFloat();
        }
    }

    /**
     * Takes one step for every parameter and zeroes the gradients.
     *
     * @param parameters the parameters (all of one device and dtype per call of the kernel: grouped here)
     * @param gradients their gradients, in the same order
     * @param learningRate this step's learning rate
     * @param gradientFactor the clipping factor the gradients are multiplied by first
     */
    void step(List<NDArray> parameters, List<NDArray> gradients, float learningRate, float gradientFactor) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            groups.computeIfAbsent(p.getDevice() + "/" + p.getDataType(), k -> new ArrayList<>())
                    .add(i);
        }
        for (List<Integer> group : groups.values()) {
            int n = group.size();
            PtNDArray[] p = new PtNDArray[n];
            PtNDArray[] g = new PtNDArray[n];
            PtNDArray[] m = new PtNDArray[n];
            PtNDArray[] v = new PtNDArray[n];
            PtNDArray[] t = new PtNDArray[n];
            for (int j = 0; j < n; j++) {
                NDArray weight = parameters.get(group.get(j));
                State s = states.computeIfAbsent(weight, FusedAdamW::newState);
                p[j] = (PtNDArray) weight;
                g[j] = (PtNDArray) gradients.get(group.get(j));
                m[j] = s.mean();
                v[j] = s.variance();
                t[j] = s.step();
            }
            IValue[] args = {
                IValue.listFrom(p),
                IValue.listFrom(g),
                IValue.listFrom(m),
                IValue.listFrom(v),
                IValue.listFrom(t),
                IValue.from((double) learningRate),
                IValue.from((double) beta1),
                IValue.from((double) beta2),
                IValue.from((double) weightDecay),
                IValue.from((double) eps),
                IValue.from((double) gradientFactor)
            };
            try (IValue out = module().forward(args)) {
                if (out.toLong() != n) {
                    throw new IllegalStateException(
                            "the fused AdamW updated " + out.toLong() + " of " + n + " parameters");
                }
            } finally {
                for (IValue a : args) {
                    a.close();
                }
            }
        }
    }

    /**
     * Writes the moments and step count of every named parameter that has them to a safetensors file
     * ({@code NAME.exp_avg}, {@code NAME.exp_avg_sq}, {@code NAME.step}, float32), with the steps done in
     * its metadata, so a resumed run continues AdamW where it stopped.
     *
     * @param file the file, replaced atomically
     * @param named the parameters by name
     * @param stepsDone the optimizer steps taken so far
     */
    void save(Path file, List<Pair<String, NDArray>> named, int stepsDone) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Pair<String, NDArray> p : named) {
            State s = states.get(p.getValue());
            if (s != null) {
                entries.add(new SafetensorsWriter.Entry(p.getKey() + ".exp_avg", s.mean(), DType.F32));
                entries.add(new SafetensorsWriter.Entry(p.getKey() + ".exp_avg_sq", s.variance(), DType.F32));
                entries.add(new SafetensorsWriter.Entry(p.getKey() + ".step", s.step(), DType.F32));
            }
        }
        SafetensorsWriter.write(file, entries, Map.of("format", "gold-adamw", "steps", Integer.toString(stepsDone)));
    }

    /**
     * Reads back what {@link #save} wrote, for the parameters of the same names and shapes.
     *
     * @param file the file
     * @param named the parameters by name
     * @param startStep the step the run resumes at; a file of another step is not read
     * @return null when every parameter's state was restored, else why not (nothing is restored then)
     */
    String load(Path file, List<Pair<String, NDArray>> named, int startStep) {
        if (!Files.exists(file)) {
            return "no " + file.getFileName() + " in " + file.getParent();
        }
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            String steps = in.metadata().get("steps");
            if (!"gold-adamw".equals(in.metadata().get("format"))
                    || !Integer.toString(startStep).equals(steps)) {
                return file + " holds step " + steps + ", the checkpoint step " + startStep;
            }
            Map<NDArray, State> restored = new IdentityHashMap<>();
            // read into a scope of its own: on a refusal nothing stays behind in the parameters' managers
            try (NDManager scope = NDManager.newBaseManager()) {
                for (Pair<String, NDArray> p : named) {
                    NDArray weight = p.getValue();
                    if (!in.tensors().containsKey(p.getKey() + ".exp_avg")) {
                        continue; // a parameter without a gradient so far: its state starts at its first step
                    }
                    NDArray mean = in.load(p.getKey() + ".exp_avg", scope, DataType.FLOAT32);
                    if (!mean.getShape().equals(weight.getShape())) {
                        return file + " has " + p.getKey() + " of shape " + mean.getShape() + ", the model "
                                + weight.getShape();
                    }
                    NDArray variance = in.load(p.getKey() + ".exp_avg_sq", scope, DataType.FLOAT32);
                    NDArray step = in.load(p.getKey() + ".step", scope, DataType.FLOAT32);
                    restored.put(
                            weight,
                            new State(
                                    kept(mean, weight, weight.getDataType()),
                                    kept(variance, weight, weight.getDataType()),
                                    kept(step.reshape(new Shape()), weight, DataType.FLOAT32)));
                }
            }
            if (restored.isEmpty()) {
                return file + " holds no parameter of this model";
            }
            states.putAll(restored);
            return null;
        }
    }

    /** {@code a} as {@code type} on {@code weight}'s device, moved into the weight's manager to stay. */
    private static PtNDArray kept(NDArray a, NDArray weight, DataType type) {
        NDArray out = a.getDataType() == type && a.getDevice().equals(weight.getDevice())
                ? a
                : a.toType(type, false).toDevice(weight.getDevice(), false);
        out.attach(weight.getManager());
        return (PtNDArray) out;
    }

    private static State newState(NDArray weight) {
        NDManager owner = weight.getManager();
        return new State(
                (PtNDArray) owner.zeros(weight.getShape(), weight.getDataType()),
                (PtNDArray) owner.zeros(weight.getShape(), weight.getDataType()),
                (PtNDArray) owner.zeros(new Shape(), DataType.FLOAT32));
    }

    private static PtNDArray[] pt(List<NDArray> arrays) {
        PtNDArray[] out = new PtNDArray[arrays.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (PtNDArray) arrays.get(i);
        }
        return out;
    }
}
