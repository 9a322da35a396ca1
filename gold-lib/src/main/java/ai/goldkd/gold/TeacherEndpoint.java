package ai.goldkd.gold;

/**
 * One replica of an endpoint teacher in a {@link TeacherSpec}'s {@code endpoints} list, e.g.
 * {@code {"url": "http://10.0.0.2:8000/v1", "concurrency": 4}}.
 *
 * @param url the replica's base URL
 * @param concurrency requests it may answer at once, or null for the client's default (8)
 */
public record TeacherEndpoint(String url, Integer concurrency) {

    /** Checks the fields. */
    public TeacherEndpoint {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("teacher.endpoints: an entry has no url; give"
                    + " {\"url\": \"http://127.0.0.1:8000/v1\"} with an optional \"concurrency\"");
        }
        if (concurrency != null && (concurrency < 1 || concurrency > 1024)) {
            throw new IllegalArgumentException("teacher.endpoints: " + url + " has concurrency " + concurrency
                    + "; give 1 to 1024, or leave it out for the client's default");
        }
    }

    /** A replica with the client's default concurrency. */
    public static TeacherEndpoint of(String url) {
        return new TeacherEndpoint(url, null);
    }
}
