package ai.goldkd.gold;

import ai.goldkd.data.Example;

/**
 * A generation that did not become a sample.
 *
 * @param id the id the sample would have had
 * @param reason a countable reason ({@code length}, {@code label}, {@code missing-field}, {@code duplicate},
 *     {@code request-failed}, ...)
 * @param detail the full explanation
 * @param raw what the teacher wrote (empty when the request failed)
 */
public record Reject(String id, String reason, String detail, String raw) {

    /** The row written to rejects.jsonl. */
    public Example toRow() {
        return Example.of(
                "id", id, "reason", reason, "detail", detail == null ? "" : detail, "raw", raw == null ? "" : raw);
    }

    /**
     * Reads a row of rejects.jsonl.
     *
     * @param row the row
     * @return the reject
     */
    public static Reject fromRow(Example row) {
        return new Reject(
                row.fields().get("id"),
                row.fields().get("reason"),
                row.fields().get("detail"),
                row.fields().get("raw"));
    }
}
