package ai.goldkd.teacher;

import com.google.gson.JsonObject;

/**
 * An error that {@link OpenAiServer} answers in the OpenAI shape:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** A 400 for a request whose field {@code param} is wrong. */
    static ApiError invalid(String param, String message) {
        return new ApiError(
                400, "invalid_request_error", param, param == null ? "invalid_request" : "invalid_value", message);
    }

    JsonObject toJson() {
        JsonObject error = new JsonObject();
        error.addProperty("message", getMessage());
        error.addProperty("type", type);
        error.addProperty("param", param);
        error.addProperty("code", code);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return body;
    }
}
