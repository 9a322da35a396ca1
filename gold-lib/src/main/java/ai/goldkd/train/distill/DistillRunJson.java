package ai.goldkd.train.distill;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link DistillRun} as JSON: the run's keys beside {@link DistillationJson}'s, in one object, the format
 * of {@code gold distill --config FILE}. Missing keys take {@link DistillRun#defaults()}'s values; an
 * unknown key, here or in {@code student}, is an error that lists the known ones.
 *
 * <pre>{@code
 * {"task": "arithmetic-answer", "teacher": "~/.cache/gold/teachers/arithmetic",   (or "teacherCache": DIR)
 *  "student": {"init": "runs/student-init"},            (or a shape: layers, dim, heads, mlp, context)
 *  "validation": 200, "trainLimit": 0, "testLimit": 0, "evalBatch": 100, "reward": "none",
 *  "regime": "on_policy", "lambda": 1.0, "divergence": {"kind": "jsd", "beta": 0.5}, "train": {...}}
 * }</pre>
 */
public final class DistillRunJson {

    /** The run's own keys; every other key belongs to {@link DistillationJson}. */
    static final Set<String> RUN_KEYS = Set.of(
            "task",
            "teacher",
            "teacherCache",
            "student",
            "validation",
            "trainLimit",
            "testLimit",
            "evalBatch",
            "reward");

    private static final Set<String> STUDENT_KEYS = Set.of("init", "layers", "dim", "heads", "mlp", "context");

    private DistillRunJson() {}

    /**
     * Reads a run.
     *
     * @param json the object
     * @return the run, validated
     */
    public static DistillRun read(JsonObject json) {
        Set<String> known = new TreeSet<>(RUN_KEYS);
        known.addAll(DistillationJson.KEYS);
        DistillationJson.checkKeys("distillation run", json, known);
        JsonObject regime = json.deepCopy();
        RUN_KEYS.forEach(regime::remove);
        DistillRun d = DistillRun.defaults();
        return new DistillRun(
                json.has("task") ? json.get("task").getAsString() : d.task(),
                json.has("teacher") ? json.get("teacher").getAsString() : d.teacher(),
                json.has("teacherCache") ? json.get("teacherCache").getAsString() : d.teacherCache(),
                json.has("student") ? student(json.get("student")) : d.student(),
                DistillationJson.integer(json, "validation", d.validation()),
                DistillationJson.integer(json, "trainLimit", d.trainLimit()),
                DistillationJson.integer(json, "testLimit", d.testLimit()),
                DistillationJson.integer(json, "evalBatch", d.evalBatch()),
                json.has("reward") ? RewardKind.parse(json.get("reward").getAsString()) : d.reward(),
                DistillationJson.read(regime));
    }

    /**
     * Writes a run, every field included, so that {@link #read} gives it back.
     *
     * @param run the run
     * @return the object
     */
    public static JsonObject write(DistillRun run) {
        JsonObject o = new JsonObject();
        o.addProperty("task", run.task());
        if (run.teacher() != null) {
            o.addProperty("teacher", run.teacher());
        }
        if (run.teacherCache() != null) {
            o.addProperty("teacherCache", run.teacherCache());
        }
        JsonObject s = new JsonObject();
        StudentSpec student = run.student();
        if (student.init() != null) {
            s.addProperty("init", student.init());
        } else {
            s.addProperty("layers", student.layers());
            s.addProperty("dim", student.dim());
            s.addProperty("heads", student.heads());
            s.addProperty("mlp", student.mlp());
            s.addProperty("context", student.context());
        }
        o.add("student", s);
        o.addProperty("validation", run.validation());
        o.addProperty("trainLimit", run.trainLimit());
        o.addProperty("testLimit", run.testLimit());
        o.addProperty("evalBatch", run.evalBatch());
        o.addProperty("reward", run.reward().key());
        for (Map.Entry<String, JsonElement> e :
                DistillationJson.write(run.config()).entrySet()) {
            o.add(e.getKey(), e.getValue());
        }
        return o;
    }

    private static StudentSpec student(JsonElement json) {
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException("student " + json + " is not an object; give {\"init\": DIR} or a"
                    + " shape {\"layers\": 2, \"dim\": 96, \"heads\": 4, \"mlp\": 384, \"context\": 192}");
        }
        JsonObject s = json.getAsJsonObject();
        DistillationJson.checkKeys("student", s, STUDENT_KEYS);
        if (s.has("init")) {
            if (s.size() > 1) {
                throw new IllegalArgumentException("student " + s + " has an init and a shape; a checkpoint brings"
                        + " its own shape, so give one or the other");
            }
            return StudentSpec.fromCheckpoint(s.get("init").getAsString());
        }
        StudentSpec d = StudentSpec.defaults();
        int dim = DistillationJson.integer(s, "dim", d.dim());
        return StudentSpec.shape(
                DistillationJson.integer(s, "layers", d.layers()),
                dim,
                DistillationJson.integer(s, "heads", d.heads()),
                DistillationJson.integer(s, "mlp", 4 * dim),
                DistillationJson.integer(s, "context", d.context()));
    }
}
