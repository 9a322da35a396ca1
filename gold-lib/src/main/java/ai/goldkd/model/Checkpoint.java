package ai.goldkd.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A model in one directory: {@code model.json} (kind, shape, training step), {@code model.params}
 * (DJL's parameter format) and the tokenizer's files. Loading gives bit-identical logits.
 *
 * <p>Files are written to a temporary name and moved into place, so a run killed while saving
 * leaves the previous checkpoint intact. DJL's optimizers expose no state to save, so a resumed run
 * continues from the saved step (its learning-rate schedule included) with fresh AdamW moments.
 *
 * @param block the model: a {@link CausalLm} or a {@link Classifier}
 * @param spec what kind of model and its shape
 * @param tokenizer its tokenizer
 */
public record Checkpoint(Block block, ModelSpec spec, Tokenizer tokenizer) {

    /** The metadata file's name. */
    public static final String META = "model.json";
    /** The parameter file's name. */
    public static final String PARAMS = "model.params";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The model's kind, shape and progress, as written to {@code model.json}. */
    public record ModelSpec(
            int format, String kind, TransformerConfig config, int classes, int[] labelTokens, int step) {

        /** Kind of a plain language model. */
        public static final String CAUSAL_LM = "causal-lm";
        /** Kind of a {@link PooledClassifier}. */
        public static final String POOLED = "pooled-classifier";
        /** Kind of a {@link LabelWordClassifier}. */
        public static final String LABEL_WORDS = "label-word-classifier";

        /** @return a copy at another training step */
        public ModelSpec atStep(int value) {
            return new ModelSpec(format, kind, config, classes, labelTokens, value);
        }
    }

    /**
     * Describes a block for saving.
     *
     * @param block a {@link CausalLm}, {@link PooledClassifier} or {@link LabelWordClassifier}
     * @param labelTokens the label tokens of a label-word classifier, else null
     * @param step the training step reached
     * @return the spec
     */
    public static ModelSpec specOf(Block block, int[] labelTokens, int step) {
        if (block instanceof CausalLm lm) {
            return new ModelSpec(1, ModelSpec.CAUSAL_LM, lm.config(), 0, null, step);
        }
        if (block instanceof PooledClassifier c) {
            return new ModelSpec(1, ModelSpec.POOLED, c.backbone().config(), c.numClasses(), null, step);
        }
        if (block instanceof LabelWordClassifier c) {
            return new ModelSpec(1, ModelSpec.LABEL_WORDS, c.backbone().config(), c.numClasses(), labelTokens, step);
        }
        throw new IllegalArgumentException(
                "cannot checkpoint a " + block.getClass().getSimpleName()
                        + "; checkpoints hold CausalLm, PooledClassifier or LabelWordClassifier");
    }

    /**
     * Writes the checkpoint into a directory, replacing an earlier checkpoint there.
     *
     * @param dir the directory, created if missing
     * @return the directory
     */
    public Path save(Path dir) {
        tokenizer.checkVocab(spec.config().vocab());
        try {
            Files.createDirectories(dir);
            Path params = dir.resolve(PARAMS + ".tmp");
            try (OutputStream out = Files.newOutputStream(params);
                    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
                block.saveParameters(data);
            }
            Path meta = dir.resolve(META + ".tmp");
            Files.writeString(meta, GSON.toJson(spec), StandardCharsets.UTF_8);
            tokenizer.save(dir);
            Files.move(
                    params, dir.resolve(PARAMS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(meta, dir.resolve(META), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint to " + dir, e);
        }
        return dir;
    }

    /**
     * A checkpoint directory as a config or command line names it: {@code ~/} stands for the home
     * directory.
     *
     * @param name the path as written
     * @return the path
     */
    public static Path path(String name) {
        return Path.of(name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name);
    }

    /** Whether a directory holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(PARAMS));
    }

    /**
     * Loads a checkpoint.
     *
     * @param dir the directory
     * @param manager where the parameters live
     * @return the checkpoint
     */
    public static Checkpoint load(Path dir, NDManager manager) {
        if (!exists(dir)) {
            throw new IllegalArgumentException("no checkpoint in " + dir + ": expected " + META + " and " + PARAMS
                    + "; train one with `gold lm train --out DIR` or pass the directory it wrote");
        }
        try {
            ModelSpec spec =
                    GSON.fromJson(Files.readString(dir.resolve(META), StandardCharsets.UTF_8), ModelSpec.class);
            if (spec == null || spec.config() == null || spec.kind() == null) {
                throw new IllegalArgumentException(dir.resolve(META) + " is not a gold model description");
            }
            Tokenizer tokenizer = Tokenizers.load(dir);
            if (tokenizer.vocabSize() != spec.config().vocab()) {
                throw new IllegalArgumentException("the tokenizer in " + dir + " has vocab " + tokenizer.vocabSize()
                        + " but the model has vocab " + spec.config().vocab()
                        + "; the checkpoint's files are mixed up: save model and tokenizer together");
            }
            Block block = switch (spec.kind()) {
                case ModelSpec.CAUSAL_LM -> new CausalLm(spec.config());
                case ModelSpec.POOLED -> new PooledClassifier(spec.config(), spec.classes());
                case ModelSpec.LABEL_WORDS -> new LabelWordClassifier(spec.config(), spec.labelTokens());
                default ->
                    throw new IllegalArgumentException("unknown model kind '" + spec.kind() + "' in "
                            + dir.resolve(META) + "; expected " + ModelSpec.CAUSAL_LM + ", " + ModelSpec.POOLED
                            + " or " + ModelSpec.LABEL_WORDS);
            };
            try (InputStream in = Files.newInputStream(dir.resolve(PARAMS));
                    DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
                block.loadParameters(manager, data);
            }
            return new Checkpoint(block, spec, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint in " + dir, e);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException(
                    "the parameters in " + dir.resolve(PARAMS) + " do not fit the model described in " + META + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The model as a language model; fails for classifiers. */
    public CausalLm languageModel() {
        if (block instanceof CausalLm lm) {
            return lm;
        }
        if (block instanceof Classifier c) {
            return c.backbone();
        }
        throw new IllegalStateException("unexpected block " + block.getClass());
    }
}
