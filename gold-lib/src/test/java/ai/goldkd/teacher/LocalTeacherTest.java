package ai.goldkd.teacher;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTeacherTest {

    @TempDir
    static Path dir;

    static LocalTeacher teacher;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
    }

    @AfterAll
    static void tearDown() {
        teacher.close();
    }

    @Test
    void aSeededRequestGivesTheSameNDistinctSamplesEveryTime() {
        GenerationRequest request =
                GenerationRequest.of("The movie").withN(4).withMaxTokens(12).withSeed(5L);
        List<Completion> first = teacher.generate(request);
        List<Completion> again = teacher.generate(request);
        assertEquals(4, first.size());
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(first.get(i).text(), again.get(i).text());
            assertArrayEquals(first.get(i).tokens(), again.get(i).tokens());
            assertNull(first.get(i).logprobs(), "logprobs were not asked for");
            texts.add(first.get(i).text());
        }
        assertEquals(4, texts.size(), "each sample has its own seed: " + texts);
        // Sample i uses seed + i: a request for one sample at seed 6 is sample 1 of the request above.
        assertEquals(
                first.get(1).text(),
                teacher.generate(request.withN(1).withSeed(6L)).get(0).text());
    }

    @Test
    void logprobsAgreeWithTheTeacherForcedLogits() {
        String prompt = "ab";
        Completion c = teacher.generate(GenerationRequest.of(prompt)
                        .withMaxTokens(10)
                        .withSeed(3L)
                        .withLogprobs(true, 3))
                .get(0);
        int[] tokens = c.tokens();
        assertEquals(tokens.length, c.logprobs().length);
        assertEquals(tokens.length, c.topLogprobs().size());
        int[] promptIds = teacher.tokenizer().encode(prompt);
        long[] ids = new long[1 + promptIds.length + tokens.length];
        ids[0] = teacher.tokenizer().specials().bos();
        for (int i = 0; i < promptIds.length; i++) {
            ids[1 + i] = promptIds[i];
        }
        for (int i = 0; i < tokens.length; i++) {
            ids[1 + promptIds.length + i] = tokens[i];
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = teacher.logits(manager.create(ids, new Shape(1, ids.length)), null); // (1, T, V)
            assertEquals(new Shape(1, ids.length, 259), logits.getShape());
            float[] logp = logits.logSoftmax(2).toFloatArray();
            for (int t = 0; t < tokens.length; t++) {
                int position = promptIds.length + t; // BOS + prompt + t tokens predict token t
                assertEquals(logp[position * 259 + tokens[t]], c.logprobs()[t], 1e-4, "token " + t);
                List<TokenLogprob> top = c.topLogprobs().get(t);
                assertEquals(3, top.size());
                assertTrue(top.get(0).logprob() >= top.get(1).logprob()
                        && top.get(1).logprob() >= top.get(2).logprob());
                assertTrue(top.get(0).logprob() >= c.logprobs()[t] - 1e-4, "the best token is at least as likely");
                assertEquals(3, top.stream().map(TokenLogprob::token).distinct().count(), "names are distinct: " + top);
            }
        }
    }

    @Test
    void batchedAnswersAreTheOneRequestPerPromptAnswers() {
        // The interface's default sends one request per prompt; the local teacher decodes in batches.
        Teacher oneByOne = new Teacher() {
            @Override
            public List<Completion> generate(GenerationRequest request) {
                return teacher.generate(request);
            }

            @Override
            public NDArray logits(NDArray ids, NDArray mask) {
                return teacher.logits(ids, mask);
            }

            @Override
            public Tokenizer tokenizer() {
                return teacher.tokenizer();
            }

            @Override
            public int vocabSize() {
                return teacher.vocabSize();
            }

            @Override
            public int context() {
                return teacher.context();
            }
        };
        List<String> prompts = List.of("12", "3+4=", "0");
        SamplingConfig greedy = SamplingConfig.greedy(8);
        List<String> batched = teacher.answers(prompts, greedy, 2);
        assertEquals(3, batched.size());
        assertEquals(oneByOne.answers(prompts, greedy, 2), batched);
        assertEquals(259, teacher.vocabSize());
        assertThrows(IllegalArgumentException.class, () -> teacher.answers(prompts, greedy, 0));
    }

    @Test
    void aRunDirectoryWithItsConfigJsonLoadsAsGoldsCheckpoint() throws java.io.IOException {
        Path run = dir.resolve("run");
        TinyTeacher.create(run).close();
        java.nio.file.Files.writeString(run.resolve("config.json"), "{\"task\": \"arithmetic-answer\"}");
        try (LocalTeacher loaded = LocalTeacher.load(run, Device.cpu())) {
            assertEquals(TinyTeacher.CONFIG.vocab(), loaded.vocabSize());
        }
    }

    @Test
    void aPromptThatDoesNotFitTheContextSaysHowMuchFits() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> teacher.generate(GenerationRequest.of("0123456789").withMaxTokens(60)));
        assertTrue(
                e.getMessage()
                        .contains("prompt of 11 tokens + max_tokens 60 exceeds the model's context of 64"
                                + " tokens; lower max_tokens to at most 53"),
                e.getMessage());
    }
}
