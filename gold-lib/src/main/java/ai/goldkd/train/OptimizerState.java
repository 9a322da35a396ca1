package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW's moments and step counts beside a checkpoint ({@value #FILE}, safetensors, by parameter name), so
 * that a resumed run continues the optimizer where it stopped instead of from zero moments. Only the fused
 * AdamW (the default) keeps them where they can be written; with {@link OptimizerKind#ADAMW_DJL} nothing is
 * written and a resume says that its moments start at zero.
 */
public final class OptimizerState {

    /** The state file's name in a checkpoint directory. */
    public static final String FILE = "optimizer.safetensors";

    private OptimizerState() {}

    /**
     * Writes the optimizer's state.
     *
     * @param loop the loop whose optimizer it is
     * @param trainer the trainer
     * @param file the file, usually {@code CHECKPOINT_DIR/}{@value #FILE}; replaced atomically
     * @param stepsDone the optimizer steps taken, the checkpoint's step
     */
    public static void save(TrainingLoop loop, Trainer trainer, Path file, int stepsDone) {
        if (loop.fused() != null) {
            loop.fused().save(file, named(trainer), stepsDone);
        }
    }

    /**
     * Reads the optimizer's state back for a resumed run; where it cannot be (no file, another step's, another
     * model's, or {@link OptimizerKind#ADAMW_DJL}), the run goes on with zero moments and says so in one line.
     *
     * @param loop the loop whose optimizer it is
     * @param trainer the trainer
     * @param file the file {@link #save} wrote
     * @param startStep the step the run resumes at
     * @return whether the state was restored
     */
    public static boolean load(TrainingLoop loop, Trainer trainer, Path file, int startStep) {
        String why = loop.fused() == null
                ? "the optimizer adamw-djl keeps its moments inside DJL"
                : loop.fused().load(file, named(trainer), startStep);
        if (why != null) {
            System.err.println("gold: AdamW's moments start at zero on this resume: " + why);
        }
        return why == null;
    }

    private static List<Pair<String, NDArray>> named(Trainer trainer) {
        List<Pair<String, NDArray>> named = new ArrayList<>();
        for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
            named.add(new Pair<>(pair.getKey(), pair.getValue().getArray()));
        }
        return named;
    }
}
