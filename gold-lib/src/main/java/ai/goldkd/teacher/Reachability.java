package ai.goldkd.teacher;

import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The check {@link OpenAiClient#checkReachable()} makes before a run relies on an endpoint. */
final class Reachability {

    /** The longest wait for the listing: quick on any healthy server, however slow its generations. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private Reachability() {}

    /**
     * One {@code GET /models}, no retry.
     *
     * @param client the client, with its base URL, key and timeouts
     * @throws TeacherDown when nothing listens (naming the URL and "connection refused"), when no answer
     *     comes in time, when the key is refused, or when the endpoint does not serve the model
     */
    static void check(OpenAiClient client) {
        OpenAiConfig config = client.config();
        String base = config.baseUrl();
        Duration probe = config.requestTimeout().compareTo(PROBE_TIMEOUT) < 0 ? config.requestTimeout() : PROBE_TIMEOUT;
        HttpResponse<String> response;
        try {
            response = client.get("/models", probe);
        } catch (ConnectException e) {
            throw new TeacherDown("cannot reach the teacher at " + base + ": connection refused (nothing listens"
                    + " there); start the server (e.g. gold serve) or fix --endpoint");
        } catch (HttpTimeoutException e) {
            throw new TeacherDown("the teacher at " + base + " gave no answer to GET /models within "
                    + probe.toMillis() / 1000.0 + " s (" + e.getMessage() + "); check that the server is healthy,"
                    + " or raise --timeout");
        } catch (IOException e) {
            throw new TeacherDown(
                    "cannot reach the teacher at " + base + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + "; check --endpoint");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new TeacherDown(
                    "the teacher at " + base + " refused GET /models with HTTP " + status + client.hint(status));
        }
        if (status != 200) {
            return; // some servers lack /models; the first generation will tell
        }
        List<String> ids = new ArrayList<>();
        try {
            JsonParser.parseString(response.body())
                    .getAsJsonObject()
                    .getAsJsonArray("data")
                    .forEach(m -> ids.add(m.getAsJsonObject().get("id").getAsString()));
        } catch (RuntimeException e) {
            return; // not the OpenAI listing shape; the first generation will tell
        }
        if (!ids.isEmpty() && !ids.contains(config.model())) {
            throw new TeacherDown("the teacher at " + base + " serves " + ids + ", not '" + config.model()
                    + "'; give --model one of them");
        }
    }
}
