package ai.goldkd.gold;

import ai.goldkd.config.ConfigJson;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The teachers a run can name: the one list that {@code gold run}, {@code gold generate} and
 * {@code gold serve} share. {@link GoldTeachers#open} opens each; a new teacher is one class and one
 * constant here.
 */
public enum TeacherKind {
    /** The offline latent-topic IMDB teacher. */
    IMDB,
    /** The IMDB trigram teacher whose few-shot examples act through a cache: a baseline. */
    IMDB_CACHE,
    /** A small transformer language model trained on IMDB TRAIN. */
    IMDB_TRANSFORMER,
    /** The offline writer of whole arithmetic word problems. */
    ARITHMETIC_WRITER,
    /** An OpenAI-compatible server ({@link TeacherSpec#baseUrl()}, {@link TeacherSpec#model()}). */
    ENDPOINT,
    /**
     * An instruct checkpoint in this process ({@link TeacherSpec#model()} is its directory: Hugging Face as
     * {@code hf:DIR} or a path, or gold's own), prompted through its chat template.
     */
    CHECKPOINT;

    /** The name configs and the command line use ({@code imdb-cache}). */
    public String label() {
        return ConfigJson.enumName(this);
    }

    /**
     * Whether the teacher is one of gold's built-in offline teachers (every kind but {@link #ENDPOINT} and
     * {@link #CHECKPOINT}, which name a server or a model directory).
     */
    public boolean offline() {
        return this != ENDPOINT && this != CHECKPOINT;
    }

    /** The offline teachers' names, in order: {@code imdb, imdb-cache, imdb-transformer, arithmetic-writer}. */
    public static List<String> offlineLabels() {
        return Arrays.stream(values())
                .filter(TeacherKind::offline)
                .map(TeacherKind::label)
                .toList();
    }

    /**
     * The kind a name gives.
     *
     * @param name a label, e.g. {@code imdb-transformer} (case and underscores ignored)
     * @return the kind
     */
    public static TeacherKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TeacherKind kind : values()) {
            if (kind.label().equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("teacher '" + name + "' is unknown; use one of "
                + String.join(
                        ", ", Arrays.stream(values()).map(TeacherKind::label).toList()));
    }
}
