package ai.goldkd.teacher;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.Tokenizers;

import java.nio.file.Path;

/** A tiny randomly initialised byte-level CausalLm, saved as a checkpoint and loaded as a teacher. */
final class TinyTeacher {

    /** 2 layers, width 32, bytes, context 64. */
    static final TransformerConfig CONFIG = new TransformerConfig(2, 32, 4, 64, 259, 64, 0f, Positions.ROTARY, false);
    /** The name the tests serve it under. */
    static final String NAME = "tiny";

    private TinyTeacher() {}

    /**
     * Saves a fresh model into a directory and loads it back on the CPU.
     *
     * @param dir an empty directory
     * @return the teacher
     */
    static LocalTeacher create(Path dir) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(7);
            CausalLm lm = new CausalLm(CONFIG).initialize(manager);
            new Checkpoint(lm, Checkpoint.specOf(lm, null, 0), Tokenizers.bytes()).save(dir);
        }
        return LocalTeacher.load(dir, Device.cpu());
    }
}
