// The reference training step (docs/benchmarks.md) taken apart: forward + loss, backward, the gradient
// norm, the optimizer step, each timed on its own. Run from the checkout's root after a build:
//   java -cp "gold-app/target/classes:gold-app/target/lib/*" docs/bench/StepPhases.java 10 [djl|fused]
// djl (the default): the norm summed in Java and DJL's per-parameter AdamW (trainer.step()), the path of every
// run before 2026-12-03; fused: TrainingLoop's fused AdamW, norm and update together (reported as "step").
// Its PyTorch twin is docs/bench/step_phases.py. A measurement aid, not part of the library.
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.goldkd.bench.TrainingBench;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.TrainBatch;
import ai.goldkd.train.TrainingLoop;

import java.lang.reflect.Method;

public class StepPhases {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean fusedOptimizer = args.length > 1 && args[1].equals("fused");
        int warmUp = 3;
        int batch = 16;
        TransformerConfig config = TransformerConfig.defaults();
        try (TrainingBench bench = new TrainingBench(config, batch)) { // the benchmark's model, data and optimizer
            Trainer trainer = bench.trainer();
            SequenceBatches batches = bench.batches();
            Method norm = TrainingLoop.class.getDeclaredMethod("gradientNorm", Trainer.class);
            norm.setAccessible(true);
            Method fusedStep = TrainingLoop.class.getDeclaredMethod("fusedStep", Trainer.class, int.class);
            fusedStep.setAccessible(true);
            double[] ms = new double[4]; // forward + loss, backward, norm, optimizer
            for (int s = 0; s < warmUp + steps; s++) {
                long t0 = System.nanoTime();
                long t1;
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    TrainBatch b = batches.next(scope);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss;
                        try (NDManager forward = scope.newSubManager()) {
                            forward.tempAttachAll(b.data(), b.labels());
                            NDList predictions = trainer.forward(b.data(), b.labels());
                            loss = forward.ret(trainer.getLoss().evaluate(b.labels(), predictions));
                            loss.getFloat();
                        }
                        t1 = System.nanoTime();
                        collector.backward(loss);
                    }
                }
                long t2 = System.nanoTime();
                if (!fusedOptimizer) {
                    norm.invoke(null, trainer);
                }
                long t3 = System.nanoTime();
                if (fusedOptimizer) {
                    fusedStep.invoke(bench.loop(), trainer, s);
                } else {
                    trainer.step();
                }
                long t4 = System.nanoTime();
                if (s >= warmUp) {
                    ms[0] += (t1 - t0) / 1e6;
                    ms[1] += (t2 - t1) / 1e6;
                    ms[2] += (t3 - t2) / 1e6;
                    ms[3] += (t4 - t3) / 1e6;
                }
            }
            double total = ms[0] + ms[1] + ms[2] + ms[3];
            System.out.printf("per step ms: forward+loss %.1f backward %.1f norm %.1f step %.1f total %.1f"
                    + " -> %.0f tokens/s%n", ms[0] / steps, ms[1] / steps, ms[2] / steps, ms[3] / steps,
                    total / steps, steps * batch * config.context() / (total / 1e3));
        }
    }
}
