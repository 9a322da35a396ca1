package ai.goldkd.teacher;

/**
 * What an {@link OpenAiClient} has done since it was made: a snapshot.
 *
 * @param requests generation requests made (each may take several attempts)
 * @param attempts HTTP requests sent
 * @param retries attempts after a request's first
 * @param failures requests given up on (a 4xx, or retries exhausted)
 * @param rateLimited answers with status 429
 * @param serverErrors answers with a 5xx status
 * @param connectionErrors attempts that got no whole answer: refused, reset, timed out, cut short
 * @param malformed answers with status 200 whose body was not a valid response (bad JSON, wrong choices)
 * @param samples completions delivered
 * @param promptTokens prompt tokens of the delivered answers, as the endpoint reported them
 * @param completionTokens completion tokens of the delivered answers, as the endpoint reported them
 */
public record ClientStats(
        long requests,
        long attempts,
        long retries,
        long failures,
        long rateLimited,
        long serverErrors,
        long connectionErrors,
        long malformed,
        long samples,
        long promptTokens,
        long completionTokens) {}
