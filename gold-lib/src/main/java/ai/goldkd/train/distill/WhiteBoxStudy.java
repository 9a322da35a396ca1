package ai.goldkd.train.distill;

import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.model.CausalLm;
import ai.goldkd.report.Charts;
import ai.goldkd.stats.SeedComparison;
import ai.goldkd.stats.SeedSummary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Regimes against a white-box teacher, several seeds each, scored by {@link SampleScores}: the teacher's
 * likelihood of each student's own samples (quality) and each student's likelihood of held-out teacher
 * samples (coverage). Every run continues from the comparison's shared start; a seed changes the
 * batches' order, the on-policy samples and nothing else.
 *
 * <pre>{@code
 * WhiteBoxStudy study = WhiteBoxStudy.of(compare.from(start), heldOut);
 * study.run("SFT", compare.regime(Regime.SFT, 200, 1e-3f), List.of(3L, 4L, 5L));
 * Report.show(study.summary());
 * }</pre>
 */
public final class WhiteBoxStudy {

    /** One scored run. */
    public record Row(String regime, long seed, SampleScores scores, double seconds) {}

    /** The scores a summary shows and {@link #compare} takes, by name. */
    private static final List<String> SCORES = List.of("reverse KL", "forward KL", "quality", "coverage");

    private final RegimeComparison compare;
    private final List<PromptExample> heldOut;
    private final List<Row> rows = new ArrayList<>();

    private WhiteBoxStudy(RegimeComparison compare, List<PromptExample> heldOut) {
        this.compare = compare;
        this.heldOut = List.copyOf(heldOut);
    }

    /**
     * A study of runs from a comparison's starting student.
     *
     * @param compare the comparison, after {@link RegimeComparison#from}
     * @param heldOut the teacher's samples to score coverage on; their prompts are sampled for quality
     * @return the study, with no rows yet
     */
    public static WhiteBoxStudy of(RegimeComparison compare, List<PromptExample> heldOut) {
        if (compare.start() == null) {
            throw new IllegalArgumentException("the comparison has no starting student; pass compare.from(start)");
        }
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out examples; draw some from the teacher's language");
        }
        return new WhiteBoxStudy(compare, heldOut);
    }

    /**
     * Scores a trained run and adds it as a row (the starting student, say).
     *
     * @param regime the row's label
     * @param seed the seed to file it under (also the scoring's sampling seed)
     * @param run the run
     * @return the row
     */
    public Row add(String regime, long seed, RegimeRun run) {
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            CausalLm student = run.load(manager);
            SampleScores scores = SampleScores.of(
                    student, compare.tokenizer(), compare.teacher(), heldOut, compare.maxNewTokens(), 1000 + seed);
            Row row = new Row(regime, seed, scores, run.seconds());
            rows.add(row);
            return row;
        }
    }

    /**
     * Trains one regime from the shared start under each seed, scores each run, and adds the rows.
     *
     * @param regime the label (folders are the label and the seed)
     * @param config the regime's settings; its training seed is replaced by each seed
     * @param seeds the seeds
     * @return the rows added
     */
    public List<Row> run(String regime, DistillationConfig config, List<Long> seeds) {
        List<Row> added = new ArrayList<>();
        for (long seed : seeds) {
            RegimeRun trained = compare.run(
                    regime + " seed " + seed, config.withTrain(config.train().withSeed(seed)));
            added.add(add(regime, seed, trained));
        }
        return added;
    }

    /** The rows so far, in the order they were added. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Every run: regime, seed, the two KLs, quality, coverage, sample length, train seconds. */
    public Table perSeed() {
        Table t = Table.create(
                "Each run against the teacher (nats per answer token; lower is better)",
                StringColumn.create("regime", rows.stream().map(Row::regime).toList()),
                IntColumn.create(
                        "seed", rows.stream().mapToInt(r -> (int) r.seed()).toArray()));
        for (String score : SCORES) {
            ToDoubleFunction<SampleScores> f = score(score);
            t.addColumns(DoubleColumn.create(
                    score, rows.stream().mapToDouble(r -> round(f.applyAsDouble(r.scores())))));
        }
        return t.addColumns(
                DoubleColumn.create(
                        "sample length",
                        rows.stream().mapToDouble(r -> round(r.scores().sampleLength()))),
                DoubleColumn.create("train seconds", rows.stream().mapToDouble(r -> Math.round(r.seconds()))));
    }

    /**
     * One row per regime: the seeds, the mean and sd of the reverse and the forward KL, the mean quality
     * (the teacher's NLL of the student's samples), sample length and train seconds.
     */
    public Table summary() {
        Map<String, List<Row>> by = byRegime();
        List<String> names = new ArrayList<>(by.keySet());
        Table t = Table.create(
                "Regimes against the teacher, mean and sd over seeds (nats per answer token; lower is better)",
                StringColumn.create("regime", names),
                IntColumn.create(
                        "seeds", names.stream().mapToInt(n -> by.get(n).size()).toArray()));
        for (String score : SCORES) {
            ToDoubleFunction<SampleScores> f = score(score);
            t.addColumns(DoubleColumn.create(
                    score, names.stream().mapToDouble(n -> round(summary(n, f).mean()))));
            if (score.endsWith("KL")) {
                t.addColumns(DoubleColumn.create(
                        score + " sd", names.stream().mapToDouble(n -> round(sd(summary(n, f))))));
            }
        }
        t.addColumns(
                DoubleColumn.create(
                        "sample length",
                        names.stream()
                                .mapToDouble(n -> round(
                                        summary(n, SampleScores::sampleLength).mean()))),
                DoubleColumn.create(
                        "train seconds",
                        names.stream()
                                .mapToDouble(n -> Math.round(by.get(n).stream()
                                        .mapToDouble(Row::seconds)
                                        .average()
                                        .orElse(0)))));
        return t;
    }

    /**
     * Two regimes' per-seed values of one score, compared by a paired t-test over their shared seeds
     * ({@link SeedComparison}).
     *
     * @param first a regime
     * @param second another
     * @param score one of "reverse KL", "forward KL", "quality", "coverage"
     * @return the comparison; {@link SeedComparison#verdict} says what it supports
     */
    public SeedComparison compare(String first, String second, String score) {
        ToDoubleFunction<SampleScores> f = score(score);
        return SeedComparison.of(first, summary(first, f), second, summary(second, f));
    }

    /**
     * Several comparisons at once, each pair of regimes on the reverse and the forward KL: one row per
     * comparison with the difference of the means, the p-value and the verdict.
     *
     * @param pairs pairs of regime names, e.g. {@code List.of(List.of("GKD JSD", "supervised KD"))}
     * @return the table
     */
    public Table verdicts(List<List<String>> pairs) {
        List<SeedComparison> all = new ArrayList<>();
        List<String> scores = new ArrayList<>();
        for (List<String> pair : pairs) {
            if (pair.size() != 2) {
                throw new IllegalArgumentException("a pair has two regime names; got " + pair);
            }
            for (String score : List.of("reverse KL", "forward KL")) {
                all.add(compare(pair.get(0), pair.get(1), score));
                scores.add(score);
            }
        }
        return Table.create(
                "Which differences the seeds support (paired t-tests; nats per token)",
                StringColumn.create(
                        "first", all.stream().map(SeedComparison::first).toList()),
                StringColumn.create(
                        "second", all.stream().map(SeedComparison::second).toList()),
                StringColumn.create("score", scores),
                DoubleColumn.create("first - second", all.stream().mapToDouble(c -> round(c.difference()))),
                DoubleColumn.create(
                        "p",
                        all.stream().mapToDouble(c -> Double.parseDouble(String.format(Locale.ROOT, "%.2g", c.p())))),
                StringColumn.create(
                        "verdict", all.stream().map(c -> c.verdict("nats")).toList()));
    }

    /** Every run as a point, reverse KL against forward KL, one colour per regime: both axes in one picture. */
    public Figure chart() {
        Map<String, double[][]> groups = new LinkedHashMap<>();
        byRegime()
                .forEach((name, list) -> groups.put(name, new double[][] {
                    list.stream().mapToDouble(r -> r.scores().forwardKl()).toArray(),
                    list.stream().mapToDouble(r -> r.scores().reverseKl()).toArray()
                }));
        return Charts.points(
                "Each run: how far it is from the teacher on the teacher's samples and on its own",
                "forward KL(teacher || student) on teacher samples (nats/token)",
                "reverse KL(student || teacher) on student samples (nats/token)",
                groups);
    }

    private SeedSummary summary(String regime, ToDoubleFunction<SampleScores> score) {
        List<Row> list = byRegime().get(regime);
        if (list == null) {
            throw new IllegalArgumentException("regime '" + regime + "' has no runs here; use one of "
                    + byRegime().keySet());
        }
        Map<Long, Double> bySeed = new TreeMap<>();
        list.forEach(r -> bySeed.put(r.seed(), score.applyAsDouble(r.scores())));
        return SeedSummary.of(bySeed);
    }

    private Map<String, List<Row>> byRegime() {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        rows.forEach(r -> by.computeIfAbsent(r.regime(), k -> new ArrayList<>()).add(r));
        return by;
    }

    private static ToDoubleFunction<SampleScores> score(String name) {
        return switch (name) {
            case "reverse KL" -> SampleScores::reverseKl;
            case "forward KL" -> SampleScores::forwardKl;
            case "quality" -> SampleScores::quality;
            case "coverage" -> SampleScores::coverage;
            default -> throw new IllegalArgumentException("score '" + name + "' is unknown; use one of " + SCORES);
        };
    }

    private static double sd(SeedSummary s) {
        return s.n() < 2 ? Double.NaN : s.sd();
    }

    private static double round(double x) {
        return Math.round(1000 * x) / 1000.0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "WhiteBoxStudy(%d runs, %d held out)", rows.size(), heldOut.size());
    }
}
