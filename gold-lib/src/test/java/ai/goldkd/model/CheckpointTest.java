package ai.goldkd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.goldkd.tokenizer.Tokenizers;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    static final TransformerConfig BYTES = new TransformerConfig(2, 32, 4, 64, 259, 16, 0.1f, Positions.ROTARY, false);

    @Test
    void everyKindRoundTripsToBitIdenticalLogits(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(21);
            Block[] blocks = {
                new CausalLm(BYTES).initialize(manager),
                new PooledClassifier(BYTES, 3).initialize(manager),
                new LabelWordClassifier(BYTES, new int[] {100, 110}).initialize(manager)
            };
            int[][] labels = {null, null, {100, 110}};
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = manager.create(new long[] {257, 104, 105, 33, 0, 0}, new Shape(1, 6));
            NDArray mask = manager.create(new int[] {1, 1, 1, 1, 1, 1}, new Shape(1, 6));
            for (int i = 0; i < blocks.length; i++) {
                Path sub = dir.resolve("m" + i);
                new Checkpoint(blocks[i], Checkpoint.specOf(blocks[i], labels[i], 17), Tokenizers.bytes()).save(sub);
                Checkpoint loaded = Checkpoint.load(sub, manager);
                assertEquals(17, loaded.spec().step());
                assertEquals(BYTES, loaded.spec().config());
                float[] before = outputs(blocks[i], ps, ids, mask);
                float[] after = outputs(loaded.block(), ps, ids, mask);
                assertArrayEquals(before, after, 0f, "kind " + loaded.spec().kind());
                assertEquals(
                        Tokenizers.bytes().encode("hé").length,
                        loaded.tokenizer().encode("hé").length);
            }
        }
    }

    static float[] outputs(Block block, ParameterStore ps, NDArray ids, NDArray mask) {
        if (block instanceof CausalLm lm) {
            return lm.logits(ps, ids, mask, false).toFloatArray();
        }
        return ((Classifier) block).classLogits(ps, ids, mask, false).toFloatArray();
    }

    @Test
    void aTokenizerThatDoesNotFitTheModelIsRefused(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm lm = new CausalLm(BYTES).initialize(manager);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new Checkpoint(lm, Checkpoint.specOf(lm, null, 0), Tokenizers.gpt2()).save(dir));
            assertTrue(e.getMessage().contains("tokenizer vocab 50258 != model vocab 259"), e.getMessage());

            new Checkpoint(lm, Checkpoint.specOf(lm, null, 0), Tokenizers.bytes()).save(dir);
            JsonObject meta = JsonParser.parseString(Files.readString(dir.resolve(Checkpoint.META)))
                    .getAsJsonObject();
            meta.getAsJsonObject("config").addProperty("vocab", 300);
            Files.writeString(dir.resolve(Checkpoint.META), meta.toString());
            e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(dir, manager));
            assertTrue(e.getMessage().contains("vocab 259 but the model has vocab 300"), e.getMessage());
        }
    }

    @Test
    void aMissingCheckpointSaysWhatToPassInstead(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Checkpoint.load(dir.resolve("nothing"), manager));
            assertTrue(e.getMessage().contains("expected model.json and model.params"), e.getMessage());
        }
    }
}
