package ai.goldkd.teacher;

/**
 * What an {@link OpenAiServer} has done since it started: a snapshot.
 *
 * @param requests HTTP requests received, on every path
 * @param faults generation requests answered with an injected fault (a delay included)
 * @param clientErrors requests answered with a 4xx of the server's own (not injected)
 * @param serverErrors requests that failed inside the server (500 not injected)
 * @param hungUp requests whose client was gone before the answer went out (it timed out, say)
 * @param samples completions generated and sent whole
 * @param promptTokens prompt tokens of the requests answered whole
 * @param completionTokens tokens generated for the completions sent whole
 */
public record ServerStats(
        long requests,
        long faults,
        long clientErrors,
        long serverErrors,
        long hungUp,
        long samples,
        long promptTokens,
        long completionTokens) {}
