// The LM head + next-token cross-entropy, forward and backward, unfused (logits, CrossEntropyLoss, autograd)
// against FusedHeadCrossEntropy, alternating, two of each per round. A measurement aid, not part of the library.
// Run from the checkout root after a build:  java -cp "gold-app/target/classes:gold-app/target/lib/*" docs/bench/FusedCeProbe.java N D V CHUNK
// Its PyTorch twin: "$(environment/bench-python)" docs/bench/fused_ce_probe.py N D V
import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.training.GradientCollector;
import ai.djl.pytorch.jni.JniUtils;
import ai.goldkd.loss.*;

public class FusedCeProbe {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), v = Integer.parseInt(a[2]), chunk = Integer.parseInt(a[3]);
        Engine.getInstance(); JniUtils.setNumThreads(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = m.randomNormal(new Shape(n, d)); h.setRequiresGradient(true);
            NDArray w = m.randomNormal(new Shape(v, d)).mul(0.02); w.setRequiresGradient(true);
            NDArray y = m.randomInteger(0, v, new Shape(n), DataType.INT64);
            for (int r = 0; r < 8; r++) {
                double tu = 0, tf = 0;
                for (int k = 0; k < 2; k++) {
                    boolean fusedFirst = (r + k) % 2 == 0;
                    for (int which = 0; which < 2; which++) {
                        boolean fused = (which == 0) == fusedFirst;
                        long t0 = System.nanoTime();
                        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            s.tempAttachAll(h, w, y);
                            float val;
                            if (fused) {
                                val = FusedHeadCrossEntropy.tokenMean(chunk).backward(gc, h, w, y, 1f).getFloat();
                            } else {
                                NDArray l = CrossEntropyLoss.tokenMean().compute(h.matMul(w.transpose()), y);
                                gc.backward(l);
                                val = l.getFloat();
                            }
                            h.getGradient().getFloat(0, 0);
                        }
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (fused) tf += ms; else tu += ms;
                    }
                }
                System.out.printf("round %d unfused %.1f ms fused(%d) %.1f ms%n", r, tu / 2, chunk, tf / 2);
            }
        }
    }
}
