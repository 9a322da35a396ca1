package ai.goldkd.student;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.SafetensorsFile;
import ai.goldkd.hf.SafetensorsWriter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An {@link EncoderStudent} on disk: the encoder as a Hugging Face BertModel directory (config.json,
 * model.safetensors, tokenizer.json, 1_Pooling/config.json, which sentence-transformers and
 * Hugging Face load as they are), plus the head in {@code head.safetensors} ({@code classifier.weight}
 * (K, D), {@code classifier.bias} (K), applied to the pooled embedding) and {@code student.json}
 * (classes, pooling, settings). The head is not BertForSequenceClassification's, which reads the
 * tanh pooler of [CLS]; it reads the pooled embedding, so it is kept apart.
 */
final class EncoderCheckpoint {

    /** The head's weights. */
    static final String HEAD = "head.safetensors";
    /** The student's description. */
    static final String STUDENT = "student.json";

    private EncoderCheckpoint() {}

    static void write(EncoderStudent student, Path dir) {
        student.encoder().save(dir, DType.F32);
        int k = student.numClasses();
        int d = student.encoder().dim();
        float[] w = new float[k * d];
        float[][] rows = student.headWeights();
        for (int i = 0; i < k; i++) {
            System.arraycopy(rows[i], 0, w, i * d, d);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(
                    dir.resolve(HEAD),
                    List.of(
                            new SafetensorsWriter.Entry(
                                    "classifier.weight", manager.create(w, new Shape(k, d)), DType.F32),
                            new SafetensorsWriter.Entry(
                                    "classifier.bias", manager.create(student.headBias()), DType.F32)),
                    Map.of("format", "pt"));
        }
        EncoderStudentConfig c = student.config();
        JsonObject json = new JsonObject();
        json.addProperty("classes", k);
        json.addProperty("pooling", student.encoder().pooling().key());
        json.addProperty("mode", c.mode().name());
        json.addProperty("maxLength", c.maxLength());
        json.addProperty("headLearningRate", c.headLearningRate());
        json.addProperty("encoderLearningRate", c.encoderLearningRate());
        json.addProperty("sceAlpha", c.sceAlpha());
        json.addProperty("sceBeta", c.sceBeta());
        json.addProperty("steps", student.steps());
        try {
            Files.writeString(
                    dir.resolve(STUDENT),
                    new GsonBuilder().setPrettyPrinting().create().toJson(json),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(STUDENT), e);
        }
    }

    /**
     * The saved head of a student directory.
     *
     * @return {weight (K * D), bias (K)}, or null when the directory holds no head (a plain encoder)
     */
    static float[][] readHead(Path dir, int classes, int dim) {
        Path file = dir.resolve(HEAD);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (SafetensorsFile head = SafetensorsFile.open(file)) {
            Shape shape = head.info("classifier.weight").shape();
            if (!shape.equals(new Shape(classes, dim))) {
                throw new IllegalArgumentException(file + " holds a head of shape " + shape + " but the task has "
                        + classes + " classes over width " + dim + "; open the encoder without this head (copy the"
                        + " directory without " + HEAD + ") or use the task it was trained on");
            }
            return new float[][] {head.floats("classifier.weight"), head.floats("classifier.bias")};
        }
    }
}
