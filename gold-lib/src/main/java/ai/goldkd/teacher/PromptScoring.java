package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.util.Arrays;

/**
 * The server's prompt scoring: a completion request that asks for the log-probabilities of its own
 * prompt, the way a remote white-box teacher is read. Two spellings are answered:
 *
 * <ul>
 *   <li>OpenAI's {@code "echo": true, "logprobs": k, "max_tokens": 0}: {@code choices[0].logprobs} lists
 *       the prompt's tokens, each one's log-probability given the tokens before it ({@code null} for the
 *       first) and the k most likely tokens there, by text ({@code token_id:N} for a token that is not
 *       whole characters)</li>
 *   <li>vLLM's {@code "prompt_logprobs": k}: {@code choices[0].prompt_logprobs} is, per prompt token, a map
 *       from token id to {@code {logprob, rank, decoded_token}} holding the k most likely tokens and the
 *       prompt's own token (rank from 1), {@code null} for the first</li>
 * </ul>
 *
 * <p>Both add {@code choices[0].prompt_token_ids}. The prompt is a string (encoded as generation
 * encodes it, BOS included) or an array of token ids, taken as they are. Log-probabilities are at
 * temperature 1; k may be up to the vocabulary's size. The served model must be a {@link Teacher}.
 */
final class PromptScoring {

    private PromptScoring() {}

    /** Whether a completions body asks for prompt scoring rather than generation. */
    static boolean wanted(JsonObject body) {
        return present(body, "prompt_logprobs")
                || body.has("echo")
                        && body.get("echo").isJsonPrimitive()
                        && body.get("echo").getAsJsonPrimitive().isBoolean()
                        && body.get("echo").getAsBoolean();
    }

    /**
     * Scores a request's prompt.
     *
     * @param id the response id
     * @param body the request body
     * @param served the served model
     * @param modelName its name
     * @return the response body
     * @throws ApiError a 400 naming the field for a request this server cannot score
     */
    static JsonObject answer(String id, JsonObject body, ServableModel served, String modelName) {
        ServerProtocol.checkModel(body, modelName);
        if (!(served instanceof Teacher teacher)) {
            throw ApiError.invalid(
                    "echo",
                    "this server's model gives no logits (it is not a white-box teacher), so"
                            + " it cannot score prompts; serve a checkpoint (gold serve --model DIR)");
        }
        boolean vllm = present(body, "prompt_logprobs");
        String kField = vllm ? "prompt_logprobs" : "logprobs";
        int vocab = Math.min(teacher.vocabSize(), teacher.tokenizer().vocabSize());
        int k = integer(body, kField, 0);
        if (k < 0 || k > vocab) {
            throw ApiError.invalid(kField, kField + " must be in [0, " + vocab + "] (the vocabulary), got " + k);
        }
        if (integer(body, "max_tokens", 0) != 0) {
            throw ApiError.invalid(
                    "max_tokens",
                    "prompt scoring (echo or prompt_logprobs) generates nothing here;" + " send \"max_tokens\": 0");
        }
        int[] ids = promptIds(body.get("prompt"), teacher, vocab);
        float[] chosen = new float[ids.length];
        long[] ranks = new long[ids.length];
        long[] topIds;
        float[] topLogProbs;
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray input = scope.create(ids, new Shape(1, ids.length)).toType(DataType.INT64, false);
            NDArray logits = teacher.logits(input, null); // (1, T, V)
            scope.tempAttachAll(logits);
            NDArray logP = logits.get(0)
                    .get(":, :" + vocab)
                    .toType(DataType.FLOAT32, false)
                    .logSoftmax(-1); // (T, V)
            int kk = Math.max(k, 1);
            NDList top = logP.topK(kk, -1, true, true); // (T, K) values, indices
            topIds = top.get(1).toType(DataType.INT64, false).toLongArray();
            topLogProbs = top.get(0).toFloatArray();
            if (ids.length > 1) {
                NDArray next = scope.create(Arrays.copyOfRange(ids, 1, ids.length))
                        .toType(DataType.INT64, false)
                        .reshape(ids.length - 1, 1); // (T-1, 1)
                NDArray rows = logP.get(":-1"); // (T-1, V)
                NDArray own = rows.gather(next, -1); // (T-1, 1)
                float[] ownValues = own.toFloatArray();
                long[] above = rows.gt(own)
                        .toType(DataType.INT64, false)
                        .sum(new int[] {-1})
                        .toLongArray();
                for (int t = 1; t < ids.length; t++) {
                    chosen[t] = ownValues[t - 1];
                    ranks[t] = above[t - 1] + 1;
                }
            }
        }
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.addProperty("text", "");
        JsonArray tokenIds = new JsonArray();
        for (int token : ids) {
            tokenIds.add(token);
        }
        choice.add("prompt_token_ids", tokenIds);
        int kept = k;
        int width = Math.max(k, 1);
        if (vllm) {
            JsonArray positions = new JsonArray();
            positions.add(JsonNull.INSTANCE);
            for (int t = 1; t < ids.length; t++) {
                JsonObject alternatives = new JsonObject();
                for (int j = 0; j < kept; j++) {
                    int token = (int) topIds[(t - 1) * width + j];
                    alternatives.add(
                            Integer.toString(token),
                            entry(topLogProbs[(t - 1) * width + j], j + 1, served.tokenText(token)));
                }
                alternatives.add(Integer.toString(ids[t]), entry(chosen[t], ranks[t], served.tokenText(ids[t])));
                positions.add(alternatives);
            }
            choice.add("logprobs", JsonNull.INSTANCE);
            choice.add("prompt_logprobs", positions);
        } else {
            JsonObject logprobs = new JsonObject();
            JsonArray tokens = new JsonArray();
            JsonArray tokenLogprobs = new JsonArray();
            JsonArray top = new JsonArray();
            JsonArray offsets = new JsonArray();
            for (int t = 0; t < ids.length; t++) {
                tokens.add(served.tokenText(ids[t]));
                offsets.add(served.textOffset(ids, t));
                if (t == 0) {
                    tokenLogprobs.add(JsonNull.INSTANCE);
                    top.add(JsonNull.INSTANCE);
                    continue;
                }
                tokenLogprobs.add(chosen[t]);
                JsonObject alternatives = new JsonObject();
                for (int j = 0; j < kept; j++) {
                    int token = (int) topIds[(t - 1) * width + j];
                    alternatives.addProperty(served.tokenText(token), topLogProbs[(t - 1) * width + j]);
                }
                top.add(alternatives);
            }
            logprobs.add("tokens", tokens);
            logprobs.add("token_logprobs", tokenLogprobs);
            logprobs.add("top_logprobs", top);
            logprobs.add("text_offset", offsets);
            choice.add("logprobs", logprobs);
        }
        choice.addProperty("finish_reason", "length");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject out = new JsonObject();
        out.addProperty("id", id);
        out.addProperty("object", "text_completion");
        out.addProperty("created", System.currentTimeMillis() / 1000);
        out.addProperty("model", modelName);
        out.add("choices", choices);
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", ids.length);
        usage.addProperty("completion_tokens", 0);
        usage.addProperty("total_tokens", ids.length);
        out.add("usage", usage);
        return out;
    }

    private static JsonObject entry(float logprob, long rank, String text) {
        JsonObject e = new JsonObject();
        e.addProperty("logprob", logprob);
        e.addProperty("rank", rank);
        e.addProperty("decoded_token", text);
        return e;
    }

    /** The prompt's ids: a string encoded with BOS, or an array of ids (or an array of one such array). */
    private static int[] promptIds(JsonElement prompt, Teacher teacher, int vocab) {
        if (prompt != null
                && prompt.isJsonArray()
                && prompt.getAsJsonArray().size() == 1
                && !prompt.getAsJsonArray().get(0).isJsonPrimitive()) {
            prompt = prompt.getAsJsonArray().get(0);
        }
        int[] ids;
        if (prompt != null
                && prompt.isJsonPrimitive()
                && prompt.getAsJsonPrimitive().isString()) {
            ids = teacher.tokenizer().encodePrompt(prompt.getAsString());
        } else if (prompt != null && prompt.isJsonArray()) {
            JsonArray array = prompt.getAsJsonArray();
            ids = new int[array.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonElement e = array.get(i);
                if (!e.isJsonPrimitive()
                        || !e.getAsJsonPrimitive().isNumber()
                        || e.getAsDouble() != e.getAsInt()
                        || e.getAsInt() < 0
                        || e.getAsInt() >= vocab) {
                    throw ApiError.invalid(
                            "prompt",
                            "prompt[" + i + "] is " + e + ", not a token id in [0, " + vocab
                                    + "); send a string or an array of token ids");
                }
                ids[i] = e.getAsInt();
            }
        } else {
            throw ApiError.invalid("prompt", "prompt is missing or neither a string nor an array of token ids");
        }
        if (ids.length == 0 || ids.length > teacher.context()) {
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    "prompt",
                    "context_length_exceeded",
                    "the prompt is " + ids.length + " tokens; this model scores 1 to " + teacher.context()
                            + " (max_model_len)");
        }
        return ids;
    }

    private static boolean present(JsonObject body, String name) {
        return body.has(name) && !body.get(name).isJsonNull();
    }

    private static int integer(JsonObject body, String name, int fallback) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive()
                || !e.getAsJsonPrimitive().isNumber()
                || e.getAsDouble() != Math.rint(e.getAsDouble())) {
            throw ApiError.invalid(name, name + " must be an integer, got " + e);
        }
        return e.getAsInt();
    }
}
