package ai.goldkd.teacher;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt scoring over real HTTP against {@code gold serve}'s server, read by {@link RemoteTeacher}. */
class RemoteTeacherTest {

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer server;
    static final List<int[]> SEQUENCES = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir.resolve("teacher"));
        server = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0));
        for (String s : List.of("The movie was", "Numbers: 12 + 30 = 42", "x\u00e9")) {
            SEQUENCES.add(teacher.tokenizer().encodePrompt(s));
        }
    }

    @AfterAll
    static void tearDown() {
        server.close();
        teacher.close();
    }

    static RemoteTeacher remote(int k, RemoteTeacher.Protocol protocol, Tokenizer tokenizer) {
        OpenAiClient client = new OpenAiClient(OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME));
        return new RemoteTeacher(client, tokenizer, TinyTeacher.CONFIG.vocab(), 64, k, protocol);
    }

    @Test
    void bothProtocolsGiveTheLocalTopK() {
        for (int k : new int[] {5, 259}) {
            List<TopKCache.Entry> local = new LocalTopK(teacher, k, 1f, "tiny").topK(SEQUENCES);
            for (RemoteTeacher.Protocol protocol : RemoteTeacher.Protocol.values()) {
                try (RemoteTeacher remote = remote(k, protocol, teacher.tokenizer())) {
                    List<TopKCache.Entry> got = remote.topK(SEQUENCES);
                    for (int i = 0; i < SEQUENCES.size(); i++) {
                        TopKCache.Entry want = local.get(i);
                        assertArrayEquals(want.tokens(), got.get(i).tokens(), protocol + " sequence " + i);
                        assertArrayEquals(want.logProbs(), got.get(i).logProbs(), 1e-5f, protocol + " k " + k);
                        for (int j = 0; j < want.ids().length; j++) {
                            // equal ids, or a tie: the same log-probability at that rank
                            assertTrue(
                                    want.ids()[j] == got.get(i).ids()[j]
                                            || Math.abs(want.logProbs()[j]
                                                            - got.get(i).logProbs()[j])
                                                    < 1e-6,
                                    protocol + " id " + j);
                        }
                    }
                    assertEquals(SEQUENCES.size(), remote.clientStats().requests());
                }
            }
        }
    }

    @Test
    void vllmFormatListsTheOwnTokenWithItsRank() throws Exception {
        int[] ids = SEQUENCES.get(1);
        JsonObject body = new JsonObject();
        body.addProperty("model", TinyTeacher.NAME);
        JsonArray prompt = new JsonArray();
        for (int id : ids) {
            prompt.add(id);
        }
        body.add("prompt", prompt);
        body.addProperty("max_tokens", 0);
        body.addProperty("prompt_logprobs", 2);
        JsonObject choice = post(body).getAsJsonArray("choices").get(0).getAsJsonObject();
        JsonArray positions = choice.getAsJsonArray("prompt_logprobs");
        assertEquals(ids.length, positions.size());
        assertTrue(positions.get(0).isJsonNull(), "the first token has no log-probability");
        assertEquals(ids.length, choice.getAsJsonArray("prompt_token_ids").size());
        for (int t = 1; t < ids.length; t++) {
            JsonObject at = positions.get(t).getAsJsonObject();
            assertTrue(at.size() == 2 || at.size() == 3, "top 2 and the prompt's own token");
            JsonObject own = at.getAsJsonObject(Integer.toString(ids[t]));
            assertTrue(own.get("rank").getAsInt() >= 1);
            assertEquals(teacher.tokenText(ids[t]), own.get("decoded_token").getAsString());
        }
        body.addProperty("max_tokens", 3);
        assertEquals(400, status(body), "scoring generates nothing: max_tokens must be 0");
        body.addProperty("max_tokens", 0);
        body.addProperty("prompt_logprobs", 260);
        assertEquals(400, status(body), "k above the vocabulary");
    }

    @Test
    void anEndpointWithAnotherTokenizerIsAMismatchNamingThePosition() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            words.add("w" + i);
        }
        Tokenizer other = Tokenizers.words(List.of(String.join(" ", words)));
        Path otherDir = dir.resolve("other");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            CausalLm lm = new CausalLm(
                            new TransformerConfig(1, 16, 2, 32, other.vocabSize(), 32, 0f, Positions.ROTARY, false))
                    .initialize(manager);
            new ai.goldkd.model.Checkpoint(lm, ai.goldkd.model.Checkpoint.specOf(lm, null, 0), other).save(otherDir);
        }
        try (LocalTeacher served = LocalTeacher.load(otherDir, Device.cpu());
                OpenAiServer wordServer = OpenAiServer.start(
                        served, "words", ServerConfig.defaults().withPort(0));
                RemoteTeacher remote = new RemoteTeacher(
                        new OpenAiClient(OpenAiConfig.defaults(wordServer.baseUrl(), "words")),
                        teacher.tokenizer(),
                        259,
                        32,
                        4,
                        RemoteTeacher.Protocol.ECHO)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> remote.topK(List.of(SEQUENCES.get(0))));
            assertTrue(
                    e.getMessage().contains("position 0")
                            && e.getMessage()
                                    .contains(
                                            "the sequence's is id " + SEQUENCES.get(0)[0]),
                    e.getMessage());
        }
    }

    @Test
    void theChatApiIsRefused() {
        // chat completions cannot echo; the remote teacher refuses that API before any request
        OpenAiClient chat = new OpenAiClient(
                OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME).withApi(OpenAiConfig.Api.CHAT));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RemoteTeacher(chat, teacher.tokenizer(), 259, 64, 4, RemoteTeacher.Protocol.ECHO));
        chat.close();
    }

    static JsonObject post(JsonObject body) throws Exception {
        HttpResponse<String> r = send(body);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    static int status(JsonObject body) throws Exception {
        return send(body).statusCode();
    }

    static HttpResponse<String> send(JsonObject body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
