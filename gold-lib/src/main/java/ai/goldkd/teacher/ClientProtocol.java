package ai.goldkd.teacher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Writes OpenAI request bodies and reads their responses strictly: a body that does not fit is {@link Malformed}. */
final class ClientProtocol {

    /** A 200 answer whose body is not a valid response to the request. */
    static final class Malformed extends Exception {

        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Reads a 200 answer's body; a body that does not fit is {@link Malformed}, and the client retries it. */
    interface BodyReader<T> {
        T read(String body) throws Malformed;
    }

    /** A response's completions and its usage counts (0 when it reported none). */
    record Parsed(List<Completion> completions, long promptTokens, long completionTokens) {}

    private ClientProtocol() {}

    static JsonObject body(OpenAiConfig config, GenerationRequest request) {
        JsonObject body = new JsonObject();
        body.addProperty("model", config.model());
        if (config.api() == OpenAiConfig.Api.CHAT) {
            JsonArray messages = new JsonArray();
            if (config.systemPrompt() != null) {
                messages.add(message("system", config.systemPrompt()));
            }
            messages.add(message("user", request.prompt()));
            body.add("messages", messages);
        } else {
            body.addProperty("prompt", request.prompt());
        }
        body.addProperty("n", request.n());
        body.addProperty("max_tokens", request.maxTokens());
        body.addProperty("temperature", request.temperature());
        body.addProperty("top_p", request.topP());
        if (request.topK() > 0) {
            body.addProperty("top_k", request.topK());
        }
        if (!request.stop().isEmpty()) {
            JsonArray stop = new JsonArray();
            request.stop().forEach(stop::add);
            body.add("stop", stop);
        }
        if (request.logprobs()) {
            if (config.api() == OpenAiConfig.Api.CHAT) {
                body.addProperty("logprobs", true);
                if (request.topLogprobs() > 0) {
                    body.addProperty("top_logprobs", request.topLogprobs());
                }
            } else {
                body.addProperty("logprobs", request.topLogprobs());
            }
        }
        if (request.seed() != null) {
            body.addProperty("seed", request.seed());
        }
        body.addProperty("stream", false);
        return body;
    }

    private static JsonObject message(String role, String content) {
        JsonObject m = new JsonObject();
        m.addProperty("role", role);
        m.addProperty("content", content);
        return m;
    }

    /**
     * Reads a response body.
     *
     * @param text the body
     * @param request the request, for n and whether log-probabilities were asked for
     * @param chat whether it answers the chat API
     * @return the completions in choice order, and the usage
     * @throws Malformed when the body is not JSON or does not hold exactly n choices 0..n-1 with text
     */
    static Parsed parse(String text, GenerationRequest request, boolean chat) throws Malformed {
        JsonObject body;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new Malformed("the body is not a JSON object: " + abbreviate(text));
            }
            body = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new Malformed("the body is not JSON (" + e.getMessage() + "): " + abbreviate(text));
        }
        JsonElement choicesElement = body.get("choices");
        if (choicesElement == null || !choicesElement.isJsonArray()) {
            throw new Malformed("the body has no \"choices\" array: " + abbreviate(text));
        }
        JsonArray choices = choicesElement.getAsJsonArray();
        if (choices.size() != request.n()) {
            throw new Malformed("asked for n=" + request.n() + " but got " + choices.size() + " choices");
        }
        Completion[] byIndex = new Completion[request.n()];
        try {
            for (int i = 0; i < choices.size(); i++) {
                JsonObject choice = choices.get(i).getAsJsonObject();
                int index = choice.has("index") ? choice.get("index").getAsInt() : i;
                if (index < 0 || index >= byIndex.length || byIndex[index] != null) {
                    throw new Malformed(
                            "choice index " + index + " is out of range or repeated (n=" + request.n() + ")");
                }
                byIndex[index] = completion(choice, chat, request.logprobs());
            }
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
            throw new Malformed("a choice has an unexpected shape (" + e.getMessage() + ")");
        }
        long promptTokens = 0;
        long completionTokens = 0;
        JsonElement usage = body.get("usage");
        if (usage != null && usage.isJsonObject()) {
            promptTokens = count(usage.getAsJsonObject(), "prompt_tokens");
            completionTokens = count(usage.getAsJsonObject(), "completion_tokens");
        }
        return new Parsed(List.of(byIndex), promptTokens, completionTokens);
    }

    private static Completion completion(JsonObject choice, boolean chat, boolean wantLogprobs) throws Malformed {
        JsonElement text = chat
                ? (choice.has("message") ? choice.getAsJsonObject("message").get("content") : null)
                : choice.get("text");
        if (text == null || !text.isJsonPrimitive()) {
            throw new Malformed("a choice has no " + (chat ? "message.content" : "text") + " string");
        }
        JsonElement finish = choice.get("finish_reason");
        String finishReason = finish == null || finish.isJsonNull() ? "unknown" : finish.getAsString();
        JsonElement logprobs = choice.get("logprobs");
        if (!wantLogprobs || logprobs == null || !logprobs.isJsonObject()) {
            return new Completion(text.getAsString(), null, null, null, finishReason);
        }
        return chat
                ? chatLogprobs(text.getAsString(), logprobs.getAsJsonObject(), finishReason)
                : completionLogprobs(text.getAsString(), logprobs.getAsJsonObject(), finishReason);
    }

    private static Completion completionLogprobs(String text, JsonObject logprobs, String finishReason) {
        JsonArray values = logprobs.getAsJsonArray("token_logprobs");
        float[] lp = new float[values == null ? 0 : values.size()];
        for (int t = 0; t < lp.length; t++) {
            lp[t] = values.get(t).isJsonNull() ? Float.NaN : values.get(t).getAsFloat();
        }
        List<List<TokenLogprob>> top = null;
        JsonElement topElement = logprobs.get("top_logprobs");
        if (topElement != null && topElement.isJsonArray()) {
            top = new ArrayList<>();
            for (JsonElement position : topElement.getAsJsonArray()) {
                List<TokenLogprob> alternatives = new ArrayList<>();
                if (position.isJsonObject()) {
                    for (Map.Entry<String, JsonElement> e :
                            position.getAsJsonObject().entrySet()) {
                        alternatives.add(
                                new TokenLogprob(e.getKey(), e.getValue().getAsFloat()));
                    }
                }
                alternatives.sort(
                        Comparator.comparingDouble(TokenLogprob::logprob).reversed());
                top.add(alternatives);
            }
        }
        return new Completion(text, null, lp, top, finishReason);
    }

    private static Completion chatLogprobs(String text, JsonObject logprobs, String finishReason) {
        JsonElement contentElement = logprobs.get("content");
        JsonArray content = contentElement != null && contentElement.isJsonArray()
                ? contentElement.getAsJsonArray()
                : new JsonArray();
        float[] lp = new float[content.size()];
        List<List<TokenLogprob>> top = new ArrayList<>();
        boolean anyTop = false;
        for (int t = 0; t < lp.length; t++) {
            JsonObject entry = content.get(t).getAsJsonObject();
            lp[t] = entry.get("logprob").getAsFloat();
            List<TokenLogprob> alternatives = new ArrayList<>();
            JsonElement alts = entry.get("top_logprobs");
            if (alts != null && alts.isJsonArray()) {
                for (JsonElement a : alts.getAsJsonArray()) {
                    JsonObject alt = a.getAsJsonObject();
                    alternatives.add(new TokenLogprob(
                            alt.get("token").getAsString(), alt.get("logprob").getAsFloat()));
                }
            }
            anyTop |= !alternatives.isEmpty();
            top.add(alternatives);
        }
        return new Completion(text, null, lp, anyTop ? top : null, finishReason);
    }

    private static long count(JsonObject usage, String name) {
        JsonElement e = usage.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : 0;
    }

    /**
     * The message of an OpenAI-style error body, or the body itself (shortened) when it has none.
     *
     * @param text the error response's body
     * @return the message
     */
    static String errorMessage(String text) {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (parsed.isJsonObject() && parsed.getAsJsonObject().has("error")) {
                JsonElement error = parsed.getAsJsonObject().get("error");
                if (error.isJsonObject() && error.getAsJsonObject().has("message")) {
                    return error.getAsJsonObject().get("message").getAsString();
                }
                if (error.isJsonPrimitive()) {
                    return error.getAsString();
                }
            }
        } catch (RuntimeException notJson) {
            // The body itself is the message.
        }
        return abbreviate(text);
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").replace('\u0000', ' ');
        return oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine;
    }
}
