package ai.goldkd.teacher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against our server on loopback, healthy. */
class ClientServerTest {

    static final String KEY = "sk-gold-test-3f9a7c";

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer server;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
        server = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0).withToken(KEY));
    }

    @AfterAll
    static void tearDown() {
        server.close();
        teacher.close();
    }

    static OpenAiClient client(OpenAiConfig.Api api) {
        return new OpenAiClient(
                OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME).withApi(api),
                Map.of(OpenAiConfig.DEFAULT_KEY_ENV, KEY)::get);
    }

    @Test
    void completionsReturnNSamplesWithLogprobsExactlyAsTheLocalModelSamplesThem() {
        GenerationRequest request = GenerationRequest.of("Once")
                .withN(3)
                .withMaxTokens(10)
                .withSeed(11L)
                .withLogprobs(true, 2);
        try (OpenAiClient client = client(OpenAiConfig.Api.COMPLETIONS)) {
            List<Completion> remote = client.generate(request);
            List<Completion> local = teacher.generate(request);
            assertEquals(3, remote.size());
            for (int i = 0; i < 3; i++) {
                Completion r = remote.get(i);
                Completion l = local.get(i);
                assertEquals(l.text(), r.text());
                assertEquals(l.finishReason(), r.finishReason());
                assertNull(r.tokens(), "OpenAI responses carry no token ids");
                assertEquals(l.tokens().length, r.logprobs().length);
                for (int t = 0; t < l.logprobs().length; t++) {
                    assertEquals(l.logprobs()[t], r.logprobs()[t], 1e-6);
                    assertEquals(
                            l.topLogprobs().get(t).get(0).logprob(),
                            r.topLogprobs().get(t).get(0).logprob(),
                            1e-6);
                }
            }
            ClientStats stats = client.stats();
            assertEquals(1, stats.requests());
            assertEquals(1, stats.attempts());
            assertEquals(3, stats.samples());
            assertEquals(teacher.promptTokens("Once"), stats.promptTokens());
            assertEquals(local.stream().mapToInt(c -> c.tokens().length).sum(), stats.completionTokens());
            assertEquals(List.of(TinyTeacher.NAME), client.models());
        }
    }

    @Test
    void chatUsesThePlainTemplateAndStopsAtTheNextUserTurn() {
        GenerationRequest request = GenerationRequest.of("Hi")
                .withN(2)
                .withMaxTokens(12)
                .withSeed(4L)
                .withLogprobs(true, 0);
        try (OpenAiClient client = new OpenAiClient(
                OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME)
                        .withApi(OpenAiConfig.Api.CHAT)
                        .withSystemPrompt("Be brief."),
                Map.of(OpenAiConfig.DEFAULT_KEY_ENV, KEY)::get)) {
            List<Completion> remote = client.generate(request);
            String prompt = "system: Be brief.\nuser: Hi\nassistant:";
            List<Completion> local = teacher.generate(request.withPrompt(prompt).withStop(List.of(ChatTemplate.STOP)));
            assertEquals(2, remote.size());
            for (int i = 0; i < 2; i++) {
                assertEquals(local.get(i).text(), remote.get(i).text());
                assertEquals(local.get(i).tokens().length, remote.get(i).logprobs().length);
                assertNull(remote.get(i).topLogprobs());
            }
            assertEquals(teacher.promptTokens(prompt), client.stats().promptTokens());
        }
    }

    @Test
    void aBatchIsServedConcurrentlyAndReturnedInOrder() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(GenerationRequest.of("p" + i).withN(2).withMaxTokens(6).withSeed(100L * i));
        }
        try (OpenAiClient client = client(OpenAiConfig.Api.COMPLETIONS)) {
            List<GenerationResult> results = client.generateAll(requests);
            for (int i = 0; i < 12; i++) {
                GenerationResult r = results.get(i);
                assertTrue(r.ok(), r.error());
                assertEquals(i, r.index());
                List<Completion> expected = teacher.generate(requests.get(i));
                assertEquals(
                        expected.stream().map(Completion::text).toList(),
                        r.completions().stream().map(Completion::text).toList());
            }
            assertEquals(24, client.stats().samples());
            assertNotNull(client.toString());
        }
    }
}
