package ai.goldkd.teacher;

/**
 * One candidate token and its log-probability, as listed among a position's most likely tokens.
 *
 * @param token the token's text (a partial UTF-8 character decodes to U+FFFD)
 * @param logprob its log-probability at temperature 1
 */
public record TokenLogprob(String token, float logprob) {}
