package ai.goldkd.onnx;

import ai.djl.ndarray.NDManager;
import ai.goldkd.model.bert.BertConfig;
import ai.goldkd.model.bert.Pooling;
import ai.goldkd.model.bert.SentenceEncoder;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real all-MiniLM-L6-v2 export, converted: our encoder's mean-pooled, normalised embeddings agree
 * with ONNX Runtime's on the original file (through langchain4j's embedding model, which runs it).
 */
class MiniLmParityTest {

    @TempDir
    Path tmp;

    private Path copy(String resource) throws IOException {
        Path file = tmp.resolve(resource);
        try (InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/" + resource)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void convertedMiniLmEmbedsAsOnnxRuntimeDoes() throws IOException {
        Path dir = tmp.resolve("all-MiniLM-L6-v2");
        BertConfig config = BertFromOnnx.convert(
                copy("all-minilm-l6-v2.onnx"), copy("all-minilm-l6-v2-tokenizer.json"), dir, Pooling.MEAN);
        assertEquals(
                new BertConfig(
                        ai.goldkd.model.bert.EncoderFamily.BERT,
                        30522,
                        384,
                        6,
                        12,
                        1536,
                        512,
                        2,
                        1e-12f,
                        0.1f,
                        0.1f,
                        0),
                config);
        List<String> sentences = List.of(
                "A gripping film with a cast that never puts a foot wrong.",
                "Dull.",
                "I walked out after forty minutes; the plot made no sense and the dialogue was worse.",
                "The quick brown fox jumps over the lazy dog",
                "Unbelievably, the sequel is better than the original!",
                "Stock prices fell sharply on Tuesday after the central bank raised interest rates.");
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        try (NDManager manager = NDManager.newBaseManager();
                SentenceEncoder encoder = SentenceEncoder.open(dir, manager, null, 256)) {
            float[][] ours = encoder.embed(sentences, 4, true, manager); // two batches, both padded
            double lowest = 1;
            for (int i = 0; i < sentences.size(); i++) {
                float[] theirs = reference.embed(sentences.get(i)).content().vector();
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int d = 0; d < theirs.length; d++) {
                    dot += ours[i][d] * theirs[d];
                    a += ours[i][d] * ours[i][d];
                    b += theirs[d] * theirs[d];
                }
                double cosine = dot / Math.sqrt(a * b);
                assertTrue(cosine >= 0.9999, "sentence " + i + ": cosine " + cosine);
                lowest = Math.min(lowest, cosine);
            }
            System.out.printf("MiniLM parity: lowest cosine %.7f over %d sentences%n", lowest, sentences.size());
            // a wrong transposition or head count would not come near; a different sentence does not either
            float[] other = reference.embed(sentences.get(3)).content().vector();
            double cross = 0;
            for (int d = 0; d < other.length; d++) {
                cross += ours[0][d] * other[d];
            }
            assertTrue(cross < 0.9, "different sentences embed apart: " + cross);
        }
    }
}
