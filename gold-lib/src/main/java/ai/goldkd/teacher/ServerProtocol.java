package ai.goldkd.teacher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI request bodies into {@link GenerationRequest}s and writes completions as OpenAI responses. */
final class ServerProtocol {

    /** The default {@code max_tokens}, as in the OpenAI completions API. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private ServerProtocol() {}

    /**
     * Reads and checks a request body.
     *
     * @param body the parsed JSON body
     * @param chat whether it is a chat completion (messages) rather than a completion (prompt)
     * @param teacher the model, to check that prompt and max_tokens fit its context
     * @param modelName the served model's name
     * @param maxN the largest n allowed
     * @return the request
     * @throws ApiError a 400 naming the bad field, or a 404 for another model
     */
    static GenerationRequest read(JsonObject body, boolean chat, ServableModel teacher, String modelName, int maxN) {
        checkModel(body, modelName);
        JsonElement stream = body.get("stream");
        if (stream != null
                && stream.isJsonPrimitive()
                && stream.getAsJsonPrimitive().isBoolean()
                && stream.getAsBoolean()) {
            throw ApiError.invalid("stream", "streaming is not supported; send \"stream\": false");
        }
        String prompt = chat ? teacher.chatPrompt(messages(body.get("messages"))) : prompt(body.get("prompt"));
        int n = integer(body, "n", 1);
        if (n < 1 || n > maxN) {
            throw ApiError.invalid("n", "n must be in [1, " + maxN + "], got " + n);
        }
        String maxName = chat && body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = integer(body, maxName, DEFAULT_MAX_TOKENS);
        if (maxTokens < 1) {
            throw ApiError.invalid(maxName, maxName + " must be >= 1, got " + maxTokens);
        }
        // every served model advertises max_model_len; a longer prompt is refused whatever the model would do
        int promptLength = teacher.promptTokens(prompt);
        if (promptLength > teacher.context()) {
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    chat ? "messages" : "prompt",
                    "context_length_exceeded",
                    "the prompt is " + promptLength + " tokens, longer than this model's max_model_len of "
                            + teacher.context() + " tokens (GET /v1/models); shorten the prompt");
        }
        try {
            teacher.checkFits(prompt, maxTokens);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(maxName, e.getMessage());
        }
        float temperature = number(body, "temperature", 1f);
        if (!(temperature >= 0f && temperature <= 2f)) {
            throw ApiError.invalid("temperature", "temperature must be in [0, 2], got " + temperature);
        }
        float topP = number(body, "top_p", 1f);
        if (!(topP > 0f && topP <= 1f)) {
            throw ApiError.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        int topK = integer(body, "top_k", 0);
        if (topK < -1) {
            throw ApiError.invalid("top_k", "top_k must be >= 1, or 0 or -1 for off, got " + topK);
        }
        List<String> stop = new ArrayList<>(stop(body.get("stop")));
        if (chat && stop.size() < GenerationRequest.MAX_STOP) {
            stop.add(ChatTemplate.STOP); // with 4 stops of its own, the client's stops win
        }
        boolean logprobs;
        int top;
        if (chat) {
            JsonElement lp = body.get("logprobs");
            if (lp != null
                    && !lp.isJsonNull()
                    && !(lp.isJsonPrimitive() && lp.getAsJsonPrimitive().isBoolean())) {
                throw ApiError.invalid("logprobs", "logprobs must be true or false for chat completions, got " + lp);
            }
            logprobs = lp != null && !lp.isJsonNull() && lp.getAsBoolean();
            top = integer(body, "top_logprobs", 0);
            if (top > 0 && !logprobs) {
                throw ApiError.invalid("top_logprobs", "top_logprobs needs \"logprobs\": true");
            }
        } else {
            JsonElement lp = body.get("logprobs");
            logprobs = lp != null && !lp.isJsonNull();
            top = integer(body, "logprobs", 0);
        }
        if (top < 0 || top > GenerationRequest.MAX_TOP_LOGPROBS) {
            throw ApiError.invalid(
                    chat ? "top_logprobs" : "logprobs",
                    "top log-probabilities must be in [0, " + GenerationRequest.MAX_TOP_LOGPROBS
                            + "] on this server, got " + top);
        }
        JsonElement seed = body.get("seed");
        Long seedValue = seed == null || seed.isJsonNull() ? null : (long) integer(body, "seed", 0, true);
        try {
            return new GenerationRequest(
                    prompt, n, maxTokens, temperature, topP, Math.max(0, topK), stop, logprobs, top, seedValue);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(null, e.getMessage());
        }
    }

    /** A 404 unless the body's {@code model} is absent or the served one. */
    static void checkModel(JsonObject body, String modelName) {
        JsonElement model = body.get("model");
        if (model != null
                && !model.isJsonNull()
                && !(isString(model) && model.getAsString().equals(modelName))) {
            throw new ApiError(
                    404,
                    "invalid_request_error",
                    "model",
                    "model_not_found",
                    "the model " + model + " does not exist; this server serves \"" + modelName
                            + "\" (see /v1/models)");
        }
    }

    private static String prompt(JsonElement prompt) {
        if (prompt == null || prompt.isJsonNull()) {
            throw ApiError.invalid("prompt", "prompt is missing; send \"prompt\": \"your text\"");
        }
        if (prompt.isJsonArray() && prompt.getAsJsonArray().size() == 1) {
            prompt = prompt.getAsJsonArray().get(0);
        }
        if (!isString(prompt)) {
            throw ApiError.invalid(
                    "prompt",
                    "prompt must be a string (or an array of one string), got " + abbreviate(prompt)
                            + "; send one request per prompt");
        }
        return prompt.getAsString();
    }

    private static List<ChatTemplate.Message> messages(JsonElement messages) {
        if (messages == null
                || !messages.isJsonArray()
                || messages.getAsJsonArray().isEmpty()) {
            throw ApiError.invalid(
                    "messages",
                    "messages is missing or empty; send \"messages\": "
                            + "[{\"role\": \"user\", \"content\": \"your text\"}]");
        }
        List<ChatTemplate.Message> out = new ArrayList<>();
        for (JsonElement m : messages.getAsJsonArray()) {
            if (!m.isJsonObject()
                    || !isString(m.getAsJsonObject().get("role"))
                    || !isString(m.getAsJsonObject().get("content"))) {
                throw ApiError.invalid(
                        "messages", "each message needs string fields \"role\" and \"content\", got " + abbreviate(m));
            }
            out.add(new ChatTemplate.Message(
                    m.getAsJsonObject().get("role").getAsString(),
                    m.getAsJsonObject().get("content").getAsString()));
        }
        return out;
    }

    private static List<String> stop(JsonElement stop) {
        if (stop == null || stop.isJsonNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (isString(stop)) {
            out.add(stop.getAsString());
        } else if (stop.isJsonArray()) {
            for (JsonElement s : stop.getAsJsonArray()) {
                if (!isString(s)) {
                    throw ApiError.invalid(
                            "stop", "stop must be a string or an array of strings, got " + abbreviate(stop));
                }
                out.add(s.getAsString());
            }
        } else {
            throw ApiError.invalid("stop", "stop must be a string or an array of strings, got " + abbreviate(stop));
        }
        if (out.size() > GenerationRequest.MAX_STOP || out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalid(
                    "stop",
                    "stop takes at most " + GenerationRequest.MAX_STOP + " non-empty strings, got " + abbreviate(stop));
        }
        return out;
    }

    private static int integer(JsonObject body, String name, int fallback) {
        return (int) integer(body, name, fallback, false);
    }

    private static long integer(JsonObject body, String name, long fallback, boolean wide) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                BigDecimal value = e.getAsBigDecimal();
                return wide ? value.longValueExact() : value.intValueExact();
            }
        } catch (ArithmeticException ignored) {
            // Falls through to the message below.
        }
        throw ApiError.invalid(name, name + " must be an integer, got " + abbreviate(e));
    }

    private static float number(JsonObject body, String name, float fallback) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw ApiError.invalid(name, name + " must be a number, got " + abbreviate(e));
        }
        return e.getAsFloat();
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static String abbreviate(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * Writes the response to a request.
     *
     * @param id the response id
     * @param chat a chat completion or a completion
     * @param modelName the served model's name
     * @param request the request
     * @param completions its completions
     * @param teacher the model, for token texts and prompt length
     * @return the response body
     */
    static JsonObject response(
            String id,
            boolean chat,
            String modelName,
            GenerationRequest request,
            List<Completion> completions,
            ServableModel teacher) {
        JsonObject out = new JsonObject();
        out.addProperty("id", id);
        out.addProperty("object", chat ? "chat.completion" : "text_completion");
        out.addProperty("created", System.currentTimeMillis() / 1000);
        out.addProperty("model", modelName);
        JsonArray choices = new JsonArray();
        int completionTokens = 0;
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            completionTokens += c.tokens().length;
            JsonObject choice = new JsonObject();
            choice.addProperty("index", i);
            if (chat) {
                JsonObject message = new JsonObject();
                message.addProperty("role", "assistant");
                message.addProperty("content", c.text());
                choice.add("message", message);
            } else {
                choice.addProperty("text", c.text());
            }
            choice.add(
                    "logprobs",
                    c.logprobs() == null
                            ? JsonNull.INSTANCE
                            : chat ? chatLogprobs(c, teacher) : completionLogprobs(c, teacher));
            choice.addProperty("finish_reason", c.finishReason());
            choices.add(choice);
        }
        out.add("choices", choices);
        JsonObject usage = new JsonObject();
        int promptTokens = teacher.promptTokens(request.prompt());
        usage.addProperty("prompt_tokens", promptTokens);
        usage.addProperty("completion_tokens", completionTokens);
        usage.addProperty("total_tokens", promptTokens + completionTokens);
        out.add("usage", usage);
        return out;
    }

    private static JsonObject completionLogprobs(Completion c, ServableModel teacher) {
        JsonArray tokens = new JsonArray();
        JsonArray logprobs = new JsonArray();
        JsonArray offsets = new JsonArray();
        JsonArray top = new JsonArray();
        for (int t = 0; t < c.tokens().length; t++) {
            tokens.add(teacher.tokenText(c.tokens()[t]));
            logprobs.add(c.logprobs()[t]);
            offsets.add(teacher.textOffset(c.tokens(), t));
            if (c.topLogprobs() != null) {
                JsonObject alternatives = new JsonObject();
                for (TokenLogprob alt : c.topLogprobs().get(t)) {
                    alternatives.addProperty(alt.token(), alt.logprob());
                }
                top.add(alternatives);
            }
        }
        JsonObject out = new JsonObject();
        out.add("tokens", tokens);
        out.add("token_logprobs", logprobs);
        out.add("top_logprobs", c.topLogprobs() == null ? JsonNull.INSTANCE : top);
        out.add("text_offset", offsets);
        return out;
    }

    private static JsonObject chatLogprobs(Completion c, ServableModel teacher) {
        JsonArray content = new JsonArray();
        for (int t = 0; t < c.tokens().length; t++) {
            JsonObject entry = tokenEntry(teacher.tokenText(c.tokens()[t]), c.logprobs()[t]);
            JsonArray top = new JsonArray();
            if (c.topLogprobs() != null) {
                for (TokenLogprob alt : c.topLogprobs().get(t)) {
                    top.add(tokenEntry(alt.token(), alt.logprob()));
                }
            }
            entry.add("top_logprobs", top);
            content.add(entry);
        }
        JsonObject out = new JsonObject();
        out.add("content", content);
        return out;
    }

    private static JsonObject tokenEntry(String token, float logprob) {
        JsonObject entry = new JsonObject();
        entry.addProperty("token", token);
        entry.addProperty("logprob", logprob);
        if (token.startsWith("token_id:")) {
            entry.add("bytes", JsonNull.INSTANCE); // not whole characters: named by id, bytes unknown here
        } else {
            JsonArray bytes = new JsonArray();
            for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(new JsonPrimitive(b & 0xFF));
            }
            entry.add("bytes", bytes);
        }
        return entry;
    }
}
