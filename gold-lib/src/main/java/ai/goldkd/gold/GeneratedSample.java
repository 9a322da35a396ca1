package ai.goldkd.gold;

import ai.goldkd.data.Example;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sample the teacher wrote during a run, as the run directory stores it.
 *
 * @param id unique in the run: {@code t0007-train-003}
 * @param iteration the iteration that made it
 * @param batch {@code train} or {@code validation}
 * @param sample the task's fields
 * @param feedback the ids of the feedback samples its prompt showed
 * @param energy the student's energy when it was scored (validation), else NaN
 */
public record GeneratedSample(
        String id, int iteration, String batch, Example sample, List<String> feedback, float energy) {

    /** Copies the list. */
    public GeneratedSample {
        feedback = List.copyOf(feedback);
    }

    /** @return a copy with an energy */
    public GeneratedSample withEnergy(float value) {
        return new GeneratedSample(id, iteration, batch, sample, feedback, value);
    }

    /** One field of the sample. */
    public String field(String name) {
        return sample.fields().get(name);
    }

    /** The flat row written to JSONL: id, iteration, batch, the task's fields, feedback, energy. */
    public Example toRow() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("iteration", Integer.toString(iteration));
        row.put("batch", batch);
        sample.fields().forEach((k, v) -> {
            if (!row.containsKey(k)) {
                row.put(k, v);
            }
        });
        row.put("feedback", String.join(",", feedback));
        row.put("energy", Float.isNaN(energy) ? "" : Float.toString(energy));
        return new Example(row);
    }

    /**
     * Reads a row written by {@link #toRow()}.
     *
     * @param row the row
     * @param fields the task's field names
     * @return the sample
     */
    public static GeneratedSample fromRow(Example row, List<String> fields) {
        Map<String, String> f = row.fields();
        Map<String, String> sample = new LinkedHashMap<>();
        for (String name : fields) {
            if (f.containsKey(name)) {
                sample.put(name, f.get(name));
            }
        }
        String feedback = f.getOrDefault("feedback", "");
        String energy = f.getOrDefault("energy", "");
        return new GeneratedSample(
                f.get("id"),
                Integer.parseInt(f.get("iteration")),
                f.get("batch"),
                new Example(sample),
                feedback.isEmpty() ? List.of() : List.of(feedback.split(",")),
                energy.isEmpty() ? Float.NaN : Float.parseFloat(energy));
    }
}
