package ai.goldkd.gold;

import ai.goldkd.config.Budget;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Presets run over seeds into one report, as {@code gold run PRESET... --seeds N} does: each preset
 * and seed in its own directory {@code out/NAME-sSEED}, every config read before the first run
 * starts (a typo in the last preset costs nothing), a run already finished there read back, not redone.
 *
 * <pre>{@code
 * GoldReport report = PresetRuns.of(Budget.SMALL, Path.of("runs/06"), "gold", "zerogen").withSeeds(5).run();
 * report.verdicts();
 * }</pre>
 *
 * @param presets preset names or config files ({@link GoldConfig#load})
 * @param seeds seeds 1 to {@code seeds} of each, >= 1
 * @param budget the budget
 * @param out the folder the runs go in
 * @param teacher a teacher for every run in place of each preset's own (its sampling settings kept), or
 *     null for the presets' teachers
 */
public record PresetRuns(List<String> presets, int seeds, Budget budget, Path out, TeacherSpec teacher) {

    /** Checks the fields and names the bad one. */
    public PresetRuns {
        if (presets == null || presets.isEmpty()) {
            throw new IllegalArgumentException("give at least one preset, e.g. \"gold\", \"zerogen\"");
        }
        presets = List.copyOf(presets);
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds = " + seeds + " must be >= 1");
        }
        if (budget == null || out == null) {
            throw new IllegalArgumentException(
                    "budget and out must not be null; give Budget.fromEnvironment() and" + " a folder for the runs");
        }
    }

    /**
     * One seed of each preset, with the presets' own teachers.
     *
     * @param budget the budget
     * @param out the folder the runs go in
     * @param presets the presets
     * @return the runs, not started
     */
    public static PresetRuns of(Budget budget, Path out, String... presets) {
        return new PresetRuns(List.of(presets), 1, budget, out, null);
    }

    /**
     * One seed of each preset, with the presets' own teachers.
     *
     * @param budget the budget
     * @param out the folder the runs go in
     * @param presets the presets, in the report's order
     * @return the runs, not started
     */
    public static PresetRuns of(Budget budget, Path out, List<String> presets) {
        return new PresetRuns(presets, 1, budget, out, null);
    }

    /** @return a copy running seeds 1 to {@code value} of each preset */
    public PresetRuns withSeeds(int value) {
        return new PresetRuns(presets, value, budget, out, teacher);
    }

    /** @return a copy asking this teacher (an endpoint, say) in every run, with each preset's sampling */
    public PresetRuns withTeacher(TeacherSpec value) {
        return new PresetRuns(presets, seeds, budget, out, value);
    }

    /** Every run's config, preset by preset, seed by seed. */
    public List<GoldConfig> configs() {
        List<GoldConfig> configs = new ArrayList<>();
        for (String preset : presets) {
            for (int seed = 1; seed <= seeds; seed++) {
                GoldConfig c = GoldConfig.load(preset, budget).withSeed(seed);
                if (teacher != null) {
                    TeacherSpec own = c.teacher();
                    c = c.withTeacher(teacher.withSampling(own.temperature(), own.topK(), own.topP()));
                }
                configs.add(c);
            }
        }
        return configs;
    }

    /**
     * Runs every config (resuming or reading back what a directory already holds) and reports on them.
     *
     * @return the report over the runs
     */
    public GoldReport run() {
        List<Path> dirs = new ArrayList<>();
        for (GoldConfig config : configs()) {
            Path dir = out.resolve(config.name() + "-s" + config.seed());
            Gold.run(config, dir);
            dirs.add(dir);
        }
        return new GoldReport(dirs);
    }
}
