package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.model.hf.CausalLmExport;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.TrainBatch;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-tokenizer distillation chosen by config, on tiny Hugging Face checkpoints the test writes: one
 * model exported as GPT-2 with the fixture's word tokenizer (A), and the same model behind another
 * tokenizer of the same words (B: the ids of every word reversed, the embedding rows moved with them).
 * The hybrid loss through the trainer's batches is 0 for the same model behind the two tokenizers, the
 * shared-vocabulary check names the setting, and the trainer lowers the loss between different models.
 */
class CrossTokenizerDistillTest {

    private static final Path FIXTURE = Path.of("src/test/resources/hf/lm/llama3-f32");
    private static final int WORDS_FROM = 4; // ids 0..3 are the special tokens, kept in place
    private static final String[] TEXTS = {
        "the movie was good",
        "this film is really bad",
        "i liked the music",
        "the plot was long but fun",
        "a great actor and a dull story",
        "i hated the end of it",
        "not very good acting",
        "that scene was short"
    };

    @TempDir
    Path tmp;

    /** B's id of A's id: the words reversed, the specials kept. */
    private static int permuted(int id, int vocab) {
        return id < WORDS_FROM ? id : WORDS_FROM + vocab - 1 - id;
    }

    /** Writes tokenizer B: the fixture's tokenizer.json with every word's id reversed. */
    private static void writePermutedTokenizer(Path source, Path dir, int vocab) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(source.resolve("tokenizer.json")))
                .getAsJsonObject();
        JsonObject words = json.getAsJsonObject("model").getAsJsonObject("vocab");
        JsonObject renamed = new JsonObject();
        words.entrySet()
                .forEach(e ->
                        renamed.addProperty(e.getKey(), permuted(e.getValue().getAsInt(), vocab)));
        json.getAsJsonObject("model").add("vocab", renamed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), json.toString());
        for (String f : List.of("tokenizer_config.json")) {
            Files.copy(source.resolve(f), dir.resolve(f));
        }
    }

    /** The HF checkpoint {@code from} with tokenizer B and its embedding (and head) rows moved to B's ids. */
    private static Path behindTokenizerB(Path from, Path to, int vocab) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("config.json", "generation_config.json")) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f));
            }
        }
        writePermutedTokenizer(from, to, vocab);
        int[] inverse = new int[vocab]; // row r of B is row inverse[r] of A
        for (int i = 0; i < vocab; i++) {
            inverse[permuted(i, vocab)] = i;
        }
        try (NDManager m = NDManager.newBaseManager();
                HfWeights in = HfWeights.open(from)) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            NDArray rows = m.create(inverse).toType(ai.djl.ndarray.types.DataType.INT64, false);
            for (String name : in.names()) {
                NDArray t = in.load(name, m, ai.djl.ndarray.types.DataType.FLOAT32);
                boolean vocabRows = name.endsWith("wte.weight") || name.endsWith("lm_head.weight");
                entries.add(new SafetensorsWriter.Entry(name, vocabRows ? t.get(rows) : t, DType.F32));
            }
            SafetensorsWriter.write(to.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
        }
        return to;
    }

    private static CausalLm student(int vocab, long seed, NDManager manager) {
        TransformerConfig c = TransformerConfig.defaults()
                .withLayers(1)
                .withDim(16, 32)
                .withHeads(2)
                .withVocab(vocab)
                .withContext(32)
                .withPositions(Positions.LEARNED)
                .withDropout(0f);
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        return new CausalLm(c).initialize(manager);
    }

    private static List<PromptExample> examples() {
        List<PromptExample> out = new ArrayList<>();
        for (String t : TEXTS) {
            int cut = t.indexOf(' ', t.indexOf(' ') + 1);
            out.add(new PromptExample(t.substring(0, cut), t.substring(cut), "words"));
        }
        return out;
    }

    private static DistillationConfig hybrid(int steps) {
        return DistillationConfig.defaults()
                .withRegime(Regime.SUPERVISED_KD)
                .withCrossTokenizer(CrossTokenizer.HYBRID)
                .withTrain(ai.goldkd.train.TrainConfig.defaults()
                        .withSteps(steps, 0)
                        .withBatch(4, 1)
                        .withLearningRate(3e-2f, 3e-2f)
                        .withLogEvery(1)
                        .withEvaluation(0, 0)
                        .withSeed(5));
    }

    @Test
    void oneModelBehindTwoTokenizersIsAtZeroAndTheCheckNamesTheSetting() throws IOException {
        Tokenizer a = Tokenizers.huggingFace(FIXTURE.resolve("tokenizer.json"));
        int vocab = a.vocabSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm lm = student(vocab, 3, manager);
            Path exportA = CausalLmExport.write(lm, a, tmp.resolve("a"), DType.F32);
            Path dirB = behindTokenizerB(exportA, tmp.resolve("b"), vocab);
            try (LocalTeacher teacher = LocalTeacher.load(dirB)) {
                String text = "the movie was good";
                assertNotEquals(
                        java.util.Arrays.toString(a.encode(text)),
                        java.util.Arrays.toString(teacher.tokenizer().encode(text)),
                        "two tokenizers");

                // the shared-vocabulary check fails and names the setting that distils across vocabularies
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> DistillationTrainer.checkVocabulary(Regime.SUPERVISED_KD, lm, a, teacher, text));
                assertTrue(
                        e.getMessage().contains("crossTokenizer")
                                && e.getMessage().contains("hybrid"),
                        e.getMessage());

                DistillationConfig config = hybrid(1);
                ai.goldkd.loss.VocabularyMatch match = DistillationTrainer.vocabularyMatch(lm, a, teacher);
                assertEquals(vocab - WORDS_FROM, match.size(), "every word shared, by text");
                DistillationLoss loss = DistillationLoss.crossTokenizer(config, match);
                DistillationBatches batches = new DistillationBatches(config, lm, a, teacher, null, examples());
                TrainBatch batch = batches.next(manager);
                NDList logits = lm.forward(new ParameterStore(manager, false), batch.data(), false);
                float same = loss.evaluate(batch.labels(), logits).getFloat();
                assertTrue(same < 1e-5f, "the same model behind two tokenizers: " + same);

                // another model behind tokenizer A is not at zero: the loss sees the difference
                CausalLm other = student(vocab, 4, manager);
                float differ = loss.evaluate(
                                batch.labels(), other.forward(new ParameterStore(manager, false), batch.data(), false))
                        .getFloat();
                assertTrue(differ > 100 * Math.max(same, 1e-7f), "a different student: " + differ + " vs " + same);
                System.out.printf(
                        "hybrid loss: same model behind two tokenizers %.3g, another model %.4f%n", same, differ);
            }
        }
    }

    @Test
    void theTrainerLowersTheHybridLossBetweenModelsWithDifferentTokenizers() throws IOException {
        // teacher: the llama fixture with tokenizer A; student: gold's own model with tokenizer B
        Tokenizer a = Tokenizers.huggingFace(FIXTURE.resolve("tokenizer.json"));
        int vocab = a.vocabSize();
        writePermutedTokenizer(FIXTURE, tmp.resolve("tokB"), vocab);
        Tokenizer b = Tokenizers.huggingFace(tmp.resolve("tokB").resolve("tokenizer.json"));
        try (LocalTeacher teacher = LocalTeacher.load(FIXTURE);
                Model model = Model.newInstance("student")) {
            CausalLm lm = student(vocab, 7, model.getNDManager());
            model.setBlock(lm);
            Path out = tmp.resolve("run");
            new DistillationTrainer(hybrid(40), b, teacher, null).train(model, examples(), List.of(), out);
            List<Double> divergence = new ArrayList<>();
            for (String line : Files.readAllLines(out.resolve("metrics.csv"))) {
                String[] f = line.split(",");
                if (f.length >= 5 && f[3].equals("divergence")) {
                    divergence.add(Double.parseDouble(f[4]));
                }
            }
            assertTrue(divergence.size() >= 30, "divergence logged each step: " + divergence.size());
            double first = divergence.subList(0, 4).stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElseThrow();
            double last = divergence.subList(divergence.size() - 4, divergence.size()).stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElseThrow();
            assertTrue(last < 0.7 * first, "training lowers the hybrid loss: " + first + " -> " + last);
            System.out.printf("hybrid loss over 40 steps: first 4 steps %.4f, last 4 steps %.4f%n", first, last);
            String written = Files.readString(out.resolve("distillation.json"));
            assertTrue(written.contains("\"crossTokenizer\": \"hybrid\""), written);
        }
    }

    @Test
    void theSettingIsReadAndCheckedFromJson() {
        DistillationConfig c = DistillationJson.read(
                JsonParser.parseString("{\"regime\": \"supervised_kd\", \"crossTokenizer\": \"uld\"}")
                        .getAsJsonObject());
        assertEquals(CrossTokenizer.ULD, c.crossTokenizer());
        assertEquals(c, DistillationJson.read(DistillationJson.write(c)));
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> DistillationJson.read(JsonParser.parseString("{\"crossTokenizer\": \"hybird\"}")
                        .getAsJsonObject()));
        assertTrue(bad.getMessage().contains("hybird") && bad.getMessage().contains("hybrid"), bad.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> DistillationConfig.defaults()
                        .withCrossTokenizer(CrossTokenizer.HYBRID)
                        .withRewardWeight(0.5f));
        assertEquals(CrossTokenizer.OFF, DistillationConfig.defaults().crossTokenizer());
    }
}
