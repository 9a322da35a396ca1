package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.goldkd.tokenizer.Tokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A white-box teacher behind an OpenAI-compatible endpoint (vLLM, {@code gold serve}): for each
 * sequence the student trains on it asks for the teacher's log-probabilities of every position and keeps
 * the top k plus the tail ({@link TopKTeacher}). The sequence is sent as token ids with
 * {@code max_tokens: 0} and either vLLM's {@code prompt_logprobs: k} or OpenAI's
 * {@code echo: true, logprobs: k} ({@link Protocol}). The endpoint's tokens are matched to the
 * sequence's by id where the answer gives ids ({@code prompt_token_ids}) and by text where it gives
 * texts (echo's {@code tokens}, which also catches an endpoint that reads the ids with another
 * tokenizer); a mismatch is an error naming the position and both
 * tokens. Retries, timeouts and counters are the {@link OpenAiClient}'s ({@link #stats()}, which the
 * trainer logs as step metrics).
 *
 * <p>It gives no dense logits: the trainer distils from it with the top-k divergences.
 */
public final class RemoteTeacher implements Teacher, TopKTeacher, AutoCloseable {

    /** How the endpoint is asked for a prompt's log-probabilities. */
    public enum Protocol {
        /** vLLM's {@code prompt_logprobs: k}: per position a map from token id to its log-probability. */
        PROMPT_LOGPROBS,
        /** OpenAI's {@code echo: true, logprobs: k, max_tokens: 0}: per position a map from token text. */
        ECHO
    }

    private final OpenAiClient client;
    private final Tokenizer tokenizer;
    private final int vocab;
    private final int context;
    private final int k;
    private final Protocol protocol;
    private Map<String, Integer> byName;

    /**
     * Creates the teacher.
     *
     * @param client the endpoint's client (completions API); closed with this teacher
     * @param tokenizer the tokenizer the endpoint's model reads: the student's, for token-level KD
     * @param vocab the model's vocabulary size V
     * @param context the longest sequence the endpoint scores
     * @param k tokens kept per position, in [1, V]
     * @param protocol how to ask
     */
    public RemoteTeacher(OpenAiClient client, Tokenizer tokenizer, int vocab, int context, int k, Protocol protocol) {
        if (k < 1 || k > vocab) {
            throw new IllegalArgumentException("top-k " + k + " must be in [1, " + vocab + "] (the vocabulary)");
        }
        if (client.config().api() != OpenAiConfig.Api.COMPLETIONS) {
            throw new IllegalArgumentException("a remote white-box teacher scores prompts through /completions; set"
                    + " the client's api to completions (chat completions cannot echo a prompt)");
        }
        this.client = client;
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.context = context;
        this.k = k;
        this.protocol = protocol;
    }

    /** The client's counters: requests, retries, failures. */
    public ClientStats clientStats() {
        return client.stats();
    }

    /** The client's requests, attempts, retries, failures, 429s, 5xx answers, connection errors, malformed answers. */
    @Override
    public Map<String, Double> stats() {
        ClientStats c = client.stats();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("teacher_requests", (double) c.requests());
        m.put("teacher_attempts", (double) c.attempts());
        m.put("teacher_retries", (double) c.retries());
        m.put("teacher_failures", (double) c.failures());
        m.put("teacher_rate_limited", (double) c.rateLimited());
        m.put("teacher_server_errors", (double) c.serverErrors());
        m.put("teacher_connection_errors", (double) c.connectionErrors());
        m.put("teacher_malformed", (double) c.malformed());
        return m;
    }

    @Override
    public List<TopKCache.Entry> topK(List<int[]> sequences) {
        List<TopKCache.Entry> out = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            out.add(score(i, sequences.get(i)));
        }
        return out;
    }

    /** One answer as read: the endpoint's ids or texts of the prompt, and per position 1..n-1 the top k. */
    private record Scored(int[] ids, String[] texts, String[][] topNames, int[][] topIds, float[][] topLogProbs) {}

    private TopKCache.Entry score(int index, int[] sequence) {
        if (sequence.length < 2 || sequence.length > context) {
            throw new IllegalArgumentException("sequence " + index + " has " + sequence.length + " tokens; the remote"
                    + " teacher scores 2 to " + context + ": truncate the data");
        }
        JsonObject body = new JsonObject();
        body.addProperty("model", client.config().model());
        JsonArray prompt = new JsonArray();
        Arrays.stream(sequence).forEach(prompt::add);
        body.add("prompt", prompt);
        body.addProperty("max_tokens", 0);
        if (protocol == Protocol.PROMPT_LOGPROBS) {
            body.addProperty("prompt_logprobs", k);
        } else {
            body.addProperty("echo", true);
            body.addProperty("logprobs", k);
        }
        Scored scored = client.post("/completions", body.toString(), text -> read(text, sequence.length));
        int n = sequence.length;
        for (int t = 0; t < n; t++) {
            if (scored.ids() != null && scored.ids()[t] != sequence[t]) {
                throw mismatch(index, t, "id " + scored.ids()[t] + " ('" + name(scored.ids()[t]) + "')", sequence[t]);
            }
            if (scored.texts() != null && !scored.texts()[t].equals(name(sequence[t]))) {
                throw mismatch(index, t, "'" + scored.texts()[t] + "'", sequence[t]);
            }
        }
        int[] ids = new int[(n - 1) * k];
        float[] logProbs = new float[(n - 1) * k];
        for (int t = 1; t < n; t++) {
            for (int j = 0; j < k; j++) {
                int id = scored.topIds()[t][j];
                if (id < 0) {
                    id = idOf(scored.topNames()[t][j], index, t);
                }
                ids[(t - 1) * k + j] = id;
                logProbs[(t - 1) * k + j] = scored.topLogProbs()[t][j];
            }
        }
        return new TopKCache.Entry(index, Arrays.copyOf(sequence, n - 1), ids, logProbs);
    }

    private IllegalArgumentException mismatch(int index, int t, String theirs, int ours) {
        return new IllegalArgumentException("sequence " + index + ", position " + t + ": the endpoint's token is "
                + theirs + ", the sequence's is id " + ours + " ('" + name(ours) + "'); the endpoint's model reads"
                + " another tokenizer: serve a teacher with the student's tokenizer, or use sequence-level KD");
    }

    /** Parses an answer; a body that does not have the asked-for shape is retried as malformed. */
    private Scored read(String text, int n) throws ClientProtocol.Malformed {
        try {
            JsonObject choice = JsonParser.parseString(text)
                    .getAsJsonObject()
                    .getAsJsonArray("choices")
                    .get(0)
                    .getAsJsonObject();
            int[] ids = null;
            if (choice.has("prompt_token_ids")
                    && !choice.get("prompt_token_ids").isJsonNull()) {
                JsonArray a = choice.getAsJsonArray("prompt_token_ids");
                ids = new int[a.size()];
                for (int t = 0; t < ids.length; t++) {
                    ids[t] = a.get(t).getAsInt();
                }
                if (ids.length != n) {
                    throw new ClientProtocol.Malformed(ids.length + " prompt_token_ids for " + n + " tokens sent");
                }
            }
            String[] texts = null;
            JsonArray positions;
            if (protocol == Protocol.PROMPT_LOGPROBS) {
                positions = choice.getAsJsonArray("prompt_logprobs");
            } else {
                JsonObject logprobs = choice.getAsJsonObject("logprobs");
                JsonArray tokens = logprobs.getAsJsonArray("tokens");
                texts = new String[tokens.size()];
                for (int t = 0; t < texts.length; t++) {
                    texts[t] = tokens.get(t).getAsString();
                }
                positions = logprobs.getAsJsonArray("top_logprobs");
            }
            if (positions == null || positions.size() != n || texts != null && texts.length != n) {
                throw new ClientProtocol.Malformed("log-probabilities for " + (positions == null ? 0 : positions.size())
                        + " positions, " + n + " tokens sent");
            }
            String[][] names = new String[n][];
            int[][] topIds = new int[n][];
            float[][] topLogProbs = new float[n][];
            for (int t = 1; t < n; t++) {
                List<Map.Entry<String, JsonElement>> alternatives =
                        new ArrayList<>(positions.get(t).getAsJsonObject().entrySet());
                // vLLM's map also holds the prompt's own token, at its rank; keep the k most likely
                alternatives.sort((a, b) -> Float.compare(logprob(b.getValue()), logprob(a.getValue())));
                if (alternatives.size() < k) {
                    throw new ClientProtocol.Malformed(
                            "position " + t + " lists " + alternatives.size() + " tokens, " + k + " asked for");
                }
                names[t] = new String[k];
                topIds[t] = new int[k];
                topLogProbs[t] = new float[k];
                for (int j = 0; j < k; j++) {
                    Map.Entry<String, JsonElement> e = alternatives.get(j);
                    names[t][j] = e.getKey();
                    topIds[t][j] = protocol == Protocol.PROMPT_LOGPROBS ? Integer.parseInt(e.getKey()) : -1;
                    topLogProbs[t][j] = logprob(e.getValue());
                }
            }
            return new Scored(ids, texts, names, topIds, topLogProbs);
        } catch (RuntimeException e) {
            throw new ClientProtocol.Malformed("not a prompt-scoring answer (" + e + ")");
        }
    }

    private static float logprob(JsonElement value) {
        return value.isJsonObject() ? value.getAsJsonObject().get("logprob").getAsFloat() : value.getAsFloat();
    }

    /** A token's name as {@code gold serve} lists it: its text, or {@code token_id:N} when that is not whole characters. */
    String name(int id) {
        String text = id >= 0 && id < tokenizer.vocabSize() ? tokenizer.decode(new int[] {id}) : "";
        return text.isEmpty() || text.indexOf('\uFFFD') >= 0 ? "token_id:" + id : text;
    }

    private synchronized int idOf(String name, int index, int t) {
        if (name.startsWith("token_id:")) {
            return Integer.parseInt(name.substring("token_id:".length()));
        }
        if (byName == null) {
            byName = new HashMap<>();
            for (int id = 0; id < Math.min(vocab, tokenizer.vocabSize()); id++) {
                byName.merge(name(id), id, (a, b) -> -1); // two ids of one text: ambiguous
            }
        }
        Integer id = byName.get(name);
        if (id == null || id < 0) {
            throw new IllegalArgumentException("sequence " + index + ", position " + t + ": the endpoint lists the"
                    + " token '" + name + "', which " + (id == null ? "is not in" : "names several ids of")
                    + " the student's vocabulary; use protocol prompt_logprobs (ids), or a teacher with the student's"
                    + " tokenizer");
        }
        return id;
    }

    @Override
    public int k() {
        return k;
    }

    @Override
    public float temperature() {
        return 1f;
    }

    @Override
    public String identity() {
        return client.config().baseUrl() + " model " + client.config().model();
    }

    @Override
    public NDArray logits(NDArray ids, NDArray mask) {
        throw new UnsupportedOperationException("a remote teacher gives its top-" + k + " log-probabilities, not"
                + " logits; distil from it through DistillationTrainer, which uses the top-k divergences");
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int context() {
        return context;
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        return client.generate(request);
    }

    /** Closes the client. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "RemoteTeacher[" + identity() + ", top-" + k + ", " + protocol + "]";
    }
}
