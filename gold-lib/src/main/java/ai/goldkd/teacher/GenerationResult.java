package ai.goldkd.teacher;

import java.util.List;

/**
 * The outcome of one request of a batch: its completions, or why it failed.
 *
 * @param index the request's position in the batch
 * @param completions the completions, empty when the request failed
 * @param error null on success, else what went wrong
 */
public record GenerationResult(int index, List<Completion> completions, String error) {

    /** Copies the list. */
    public GenerationResult {
        completions = completions == null ? List.of() : List.copyOf(completions);
    }

    /** @return a successful result */
    public static GenerationResult success(int index, List<Completion> completions) {
        return new GenerationResult(index, completions, null);
    }

    /** @return a failed result */
    public static GenerationResult failure(int index, String error) {
        return new GenerationResult(index, List.of(), error == null ? "unknown error" : error);
    }

    /** Whether the request succeeded. */
    public boolean ok() {
        return error == null;
    }
}
