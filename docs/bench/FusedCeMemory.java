// Peak resident memory of the head + cross-entropy step, unfused (CHUNK 0) or fused (CHUNK positions a chunk),
// above the inputs and their gradients, in one JVM per setting. A measurement aid, not part of the library.
// java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "gold-app/target/classes:gold-app/target/lib/*" docs/bench/FusedCeMemory.java N D V CHUNK [java]
// (java: the Java chunk loop instead of the native kernel)
import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.training.GradientCollector;
import ai.djl.pytorch.jni.JniUtils;
import ai.goldkd.loss.*;
import java.nio.file.*;

public class FusedCeMemory {
    static long kb(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        return -1;
    }
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), v = Integer.parseInt(a[2]), chunk = Integer.parseInt(a[3]);
        Engine.getInstance(); JniUtils.setNumThreads(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = m.randomNormal(new Shape(n, d)); h.setRequiresGradient(true);
            NDArray w = m.randomNormal(new Shape(v, d)).mul(0.02); w.setRequiresGradient(true);
            NDArray y = m.randomInteger(0, v, new Shape(n), DataType.INT64);
            // gradients exist before the baseline, as in training after the first step
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) { gc.backward(h.sum().add(w.sum())); }
            long before = kb("VmRSS:");
            long t0 = System.nanoTime();
            for (int r = 0; r < 3; r++) {
                try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    s.tempAttachAll(h, w, y);
                    if (chunk > 0) {
                        FusedHeadCrossEntropy ce = FusedHeadCrossEntropy.tokenMean(chunk);
                        (a.length > 4 && a[4].equals("java") ? ce.withoutKernel() : ce).backward(gc, h, w, y, 1f).getFloat();
                    } else {
                        NDArray l = CrossEntropyLoss.tokenMean().compute(h.matMul(w.transpose()), y);
                        gc.backward(l); l.getFloat();
                    }
                }
            }
            double s = (System.nanoTime() - t0) / 3e9;
            double logitsMb = (double) n * v * 4 / 1048576;
            double peak = (kb("VmHWM:") - before) / 1024.0;
            System.out.printf("N %d D %d V %d chunk %d: peak above inputs %.0f MB = %.2fx logits (%.0f MB), %.2f s/step%n", n, d, v, chunk, peak, peak / logitsMb, logitsMb, s);
        }
    }
}
