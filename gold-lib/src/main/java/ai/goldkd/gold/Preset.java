package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.config.ConfigJson;
import ai.goldkd.ood.SelectorKind;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named starting points, one per method the paper compares. Each is GOLD's config at a budget
 * with a few settings changed by their withers.
 */
public enum Preset {
    /** Band feedback (50-80%) every other iteration; the top 10% of energy dropped. */
    GOLD,
    /** No feedback, no filter, every prompt the plain one (no OOD-validation prompt). */
    ZEROGEN,
    /** ZeroGen with the teacher sampled hotter (temperature 1.0, top-k 200): the control for "GOLD adds diversity". */
    ZEROGEN_HOT,
    /** The loop with influence-chosen feedback. */
    PROGEN,
    /** The band's ablation: a random share of the batch as feedback. */
    RANDOM,
    /** The band's ablation: the highest-energy share as feedback. */
    TOP_ENERGY,
    /** The student on as many real training samples: the upper bound. */
    REAL_DATA,
    /** The teacher answers the test set from the few-shot prompt. */
    TEACHER_FEWSHOT;

    /** The preset's name ({@code zerogen-hot}), also the run's name. */
    public String label() {
        return ConfigJson.enumName(this);
    }

    /** Every preset's name, in order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Preset::label).toList();
    }

    /**
     * The preset a name gives.
     *
     * @param name a preset's name, case ignored
     * @return the preset
     */
    public static Preset parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Preset p : values()) {
            if (p.label().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "preset '" + name + "' is unknown; use one of " + labels() + " or a config file (.json)");
    }

    /**
     * The preset's config at a budget.
     *
     * @param budget smoke, small or paper
     * @return the config
     */
    public GoldConfig config(Budget budget) {
        GoldConfig gold = base(budget);
        FeedbackConfig feedback = gold.feedback();
        GoldConfig zerogen = gold.withFeedback(feedback.withSelector(SelectorKind.NONE))
                .withFinalStudent(gold.finalStudent().withNoiseDrop(0.0))
                .withLoop(gold.loop().withOodPrompt(false));
        GoldConfig chosen = switch (this) {
            case GOLD -> gold;
            case ZEROGEN -> zerogen;
            case ZEROGEN_HOT -> zerogen.withTeacher(gold.teacher().withSampling(1.0f, 200, 1f));
            case PROGEN -> gold.withFeedback(feedback.withSelector(SelectorKind.INFLUENCE));
            case RANDOM -> gold.withFeedback(feedback.withSelector(SelectorKind.RANDOM));
            case TOP_ENERGY -> gold.withFeedback(feedback.withSelector(SelectorKind.TOP));
            case REAL_DATA ->
                gold.withMethod(Method.REAL_DATA)
                        .withFeedback(feedback.withSelector(SelectorKind.NONE))
                        .withFinalStudent(gold.finalStudent().withNoiseDrop(0.0));
            case TEACHER_FEWSHOT ->
                gold.withMethod(Method.TEACHER_FEWSHOT).withFeedback(feedback.withSelector(SelectorKind.NONE));
        };
        return chosen.withName(label());
    }

    /** GOLD on IMDB with the offline teacher, sized by the budget. */
    private static GoldConfig base(Budget budget) {
        LoopConfig loop = new LoopConfig(
                budget.pick(4, 25, 375),
                budget.pick(16, 80, 8),
                budget.pick(8, 40, 8),
                true,
                budget.pick(2, 5, 25),
                budget.pick(10, 2, 2));
        return new GoldConfig(
                "gold",
                "imdb-sentiment",
                Method.LOOP,
                1,
                budget.pick(500, 5000, 0),
                loop,
                FeedbackConfig.defaults(),
                ScorerConfig.defaults(),
                FinalStudentConfig.defaults().withEpochs(budget.pick(10, 5, 50)),
                StudentSpec.defaults(),
                TeacherSpec.defaults(),
                null);
    }
}
