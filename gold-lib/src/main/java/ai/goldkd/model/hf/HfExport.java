package ai.goldkd.model.hf;

import ai.djl.nn.Parameter;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.tokenizer.Tokenizer;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a model as a Hugging Face directory that transformers and vLLM load: config.json,
 * model.safetensors with the family's tensor names and shapes, the tokenizer files and
 * generation_config.json. Files are written under temporary names and moved into place.
 */
public final class HfExport {

    private HfExport() {}

    /**
     * Writes an HF model (loaded from a checkpoint and perhaps trained since) back to its family.
     *
     * @param model the model
     * @param tokenizer its tokenizer, whose {@code save} writes the tokenizer files
     * @param source the directory it was loaded from (its generation_config.json is kept), or null
     * @param out the directory to write
     * @param dtype the stored type of the weights
     * @return out
     */
    public static Path write(HfDecoder model, Tokenizer tokenizer, Path source, Path out, DType dtype) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.named().entrySet()) {
            entries.add(new SafetensorsWriter.Entry(e.getKey(), e.getValue().getArray(), dtype));
        }
        JsonObject config = model.config().json().deepCopy();
        Path generation = source == null ? null : source.resolve(HfCheckpoint.GENERATION);
        return write(config, entries, tokenizer, generation, out, dtype);
    }

    /**
     * Writes config, weights and tokenizer files.
     *
     * @param config the config.json to write (its torch_dtype is set to {@code dtype})
     * @param entries the tensors
     * @param tokenizer the tokenizer
     * @param generation a generation_config.json to copy, or null to write one from config's eos/bos ids
     * @param out the directory
     * @param dtype the stored type
     * @return out
     */
    static Path write(
            JsonObject config,
            List<SafetensorsWriter.Entry> entries,
            Tokenizer tokenizer,
            Path generation,
            Path out,
            DType dtype) {
        if (dtype == DType.I64) {
            throw new IllegalArgumentException("--dtype I64 is not a weight type; pass fp32, fp16 or bf16");
        }
        config.addProperty("torch_dtype", dtype.torchName());
        try {
            Files.createDirectories(out);
            SafetensorsWriter.write(out.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
            tokenizer.save(out);
            if (generation != null && Files.isRegularFile(generation)) {
                Files.copy(generation, out.resolve(HfCheckpoint.GENERATION), StandardCopyOption.REPLACE_EXISTING);
            } else {
                JsonObject gen = new JsonObject();
                if (config.has("bos_token_id")) {
                    gen.add("bos_token_id", config.get("bos_token_id"));
                }
                if (config.has("eos_token_id")) {
                    gen.add("eos_token_id", config.get("eos_token_id"));
                }
                writeJson(out.resolve(HfCheckpoint.GENERATION), gen);
            }
            writeJson(out.resolve(HfConfigReader.FILE), config);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the export to " + out + " (" + e.getMessage()
                            + "); check that the directory is writable",
                    e);
        }
        return out;
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(
                tmp,
                new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json),
                StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Refuses a target that already holds files, so an export never overwrites a checkpoint.
     *
     * @param out the target directory
     */
    public static void checkEmpty(Path out) {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> files = Files.list(out)) {
            if (files.findAny().isPresent()) {
                throw new IllegalArgumentException("--out " + out + " already holds files; pass a new or empty"
                        + " directory (gold never overwrites a checkpoint)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
    }

    /** The type an export stores by default: the checkpoint's own, else F32. */
    public static DType sourceType(Path source) {
        if (source == null || !HfCheckpoint.isCheckpoint(source)) {
            return DType.F32;
        }
        try (HfWeights weights = HfWeights.open(source)) {
            return weights.storedType();
        }
    }
}
