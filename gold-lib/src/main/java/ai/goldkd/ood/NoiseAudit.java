package ai.goldkd.ood;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How well the energy {@link NoiseFilter} finds samples known to be noise (planted mislabelled or
 * malformed samples): for each cut-off (the top share of energy dropped), the precision (share of
 * dropped samples that are noise) and recall (share of the noise that is dropped).
 */
public final class NoiseAudit {

    private NoiseAudit() {}

    /**
     * Precision and recall of the filter at several cut-offs.
     *
     * @param energies one energy per sample
     * @param noise whether each sample is planted noise
     * @param cutoffs the drop fractions to try, each in [0, 1)
     * @return a table: cutoff, dropped, noise dropped, precision, recall (the last two to 4 decimals)
     */
    public static Table precisionRecall(float[] energies, boolean[] noise, double... cutoffs) {
        if (energies.length != noise.length) {
            throw new IllegalArgumentException(
                    energies.length + " energies but " + noise.length + " noise flags; give one flag per sample");
        }
        int totalNoise = 0;
        for (boolean b : noise) {
            totalNoise += b ? 1 : 0;
        }
        DoubleColumn cut = DoubleColumn.create("cutoff");
        IntColumn dropped = IntColumn.create("dropped");
        IntColumn hits = IntColumn.create("noise dropped");
        DoubleColumn precision = DoubleColumn.create("precision");
        DoubleColumn recall = DoubleColumn.create("recall");
        for (double c : cutoffs) {
            NoiseFilter.Split split = new NoiseFilter(c).apply(energies);
            int h = 0;
            for (int i : split.dropped()) {
                h += noise[i] ? 1 : 0;
            }
            cut.append(c);
            dropped.append(split.dropped().size());
            hits.append(h);
            precision.append(
                    split.dropped().isEmpty()
                            ? Double.NaN
                            : round(h / (double) split.dropped().size()));
            recall.append(totalNoise == 0 ? Double.NaN : round(h / (double) totalNoise));
        }
        return Table.create("Energy filter against planted noise", cut, dropped, hits, precision, recall);
    }

    /**
     * The mean energy rank of each kind of sample (0: the most familiar sample, 1: the least); noise
     * placed at random would average 0.5.
     *
     * @param energies one energy per sample
     * @param kinds the kind of each sample
     * @return a table: kind, samples, mean energy rank (to 4 decimals), in order of first appearance
     */
    public static Table meanRankByKind(float[] energies, List<String> kinds) {
        if (energies.length != kinds.size()) {
            throw new IllegalArgumentException(energies.length + " energies but " + kinds.size() + " kinds");
        }
        double[] ranks = percentiles(energies);
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < ranks.length; i++) {
            double[] s = sums.computeIfAbsent(kinds.get(i), k -> new double[2]);
            s[0] += ranks[i];
            s[1]++;
        }
        StringColumn kind = StringColumn.create("kind");
        IntColumn count = IntColumn.create("samples");
        DoubleColumn mean = DoubleColumn.create("mean energy rank");
        sums.forEach((k, s) -> {
            kind.append(k);
            count.append((int) s[1]);
            mean.append(round(s[0] / s[1]));
        });
        return Table.create("Mean energy rank by kind", kind, count, mean);
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    /**
     * The energy rank of each sample as a percentile (0: lowest energy, 1: highest).
     *
     * @param energies the energies
     * @return one percentile per sample
     */
    public static double[] percentiles(float[] energies) {
        int[] order = FeedbackSelector.ascending(energies);
        double[] out = new double[energies.length];
        for (int r = 0; r < order.length; r++) {
            out[order[r]] = order.length == 1 ? 0 : r / (double) (order.length - 1);
        }
        return out;
    }

    /**
     * Several scores as one: each sample's largest percentile rank among them, so that a sample one
     * score finds far out is dropped whatever the others say (e.g. a bag-of-words student's energy,
     * which sees flipped labels, with an encoder's, which sees broken word order).
     *
     * @param scores one or more scores over the same samples, higher = more OOD
     * @return the largest percentile rank of each sample, in [0, 1]
     */
    public static float[] maxRank(float[]... scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("maxRank needs at least one score");
        }
        float[] out = new float[scores[0].length];
        for (float[] score : scores) {
            if (score.length != out.length) {
                throw new IllegalArgumentException("scores of " + score.length + " and " + out.length
                        + " samples; give one value per sample each");
            }
            double[] ranks = percentiles(score);
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(out[i], (float) ranks[i]);
            }
        }
        return out;
    }

    /**
     * What noise to plant: a share of labels flipped, word salads worth a share of the set, a seed.
     *
     * @param flipShare the share of samples whose label is changed, in [0, 1]
     * @param saladShare word salads added, as a share of the clean set's size, >= 0
     * @param seed the seed of the draws
     */
    public record Plan(double flipShare, double saladShare, long seed) {

        /** Checks the shares and names the bad one. */
        public Plan {
            if (!(flipShare >= 0 && flipShare <= 1 && saladShare >= 0)) {
                throw new IllegalArgumentException(
                        "flipShare " + flipShare + " must be in [0, 1] and saladShare " + saladShare + " >= 0");
            }
        }

        /**
         * Flips a share of the labels; no word salads, seed 7.
         *
         * @param share the share of labels flipped
         * @return the plan
         */
        public static Plan flips(double share) {
            return new Plan(share, 0, 7);
        }

        /** @return a copy that adds word salads worth this share of the set */
        public Plan withSalads(double share) {
            return new Plan(flipShare, share, seed);
        }

        /** @return a copy drawing with this seed */
        public Plan withSeed(long value) {
            return new Plan(flipShare, saladShare, value);
        }
    }

    /**
     * Plants noise as a plan says.
     *
     * @param texts the clean texts
     * @param labels their labels
     * @param classes the number of classes, >= 2
     * @param plan what to plant
     * @return the planted set
     */
    public static Planted plant(List<String> texts, int[] labels, int classes, Plan plan) {
        return plant(texts, labels, classes, plan.flipShare(), plan.saladShare(), plan.seed());
    }

    /**
     * Precision and recall of the filter at several cut-offs, for all planted noise and for each kind
     * of it, in one long table.
     *
     * @param energies one energy per sample
     * @param planted the planted set the energies score
     * @param cutoffs the drop fractions to try, each in [0, 1)
     * @return a table: noise ({@code all noise} or a kind), cutoff, dropped, noise dropped, precision, recall
     */
    public static Table filterAudit(float[] energies, Planted planted, double... cutoffs) {
        Map<String, Table> parts = new LinkedHashMap<>();
        planted.noiseGroups().forEach((name, is) -> parts.put(name, precisionRecall(energies, is, cutoffs)));
        StringColumn noise = StringColumn.create("noise");
        Table out = Table.create("Energy filter against planted noise, by kind", noise);
        parts.get("all noise").columns().forEach(c -> out.addColumns(c.emptyCopy()));
        parts.forEach((name, t) -> {
            for (int i = 0; i < t.rowCount(); i++) {
                noise.append(name);
            }
            for (int c = 0; c < t.columnCount(); c++) {
                appendAll(out.column(c + 1), t.column(c));
            }
        });
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void appendAll(Column target, Column source) {
        target.append(source);
    }

    /**
     * Plants noise in a labelled set: a share of samples get another label (mislabelled), and word
     * salads (the words of a real sample in a shuffled order, with a random label) are added.
     *
     * @param texts the clean texts
     * @param labels their labels
     * @param classes the number of classes
     * @param flipShare the share of samples whose label is changed
     * @param saladShare word salads added, as a share of the clean set's size
     * @param seed the seed
     * @return the planted set
     */
    public static Planted plant(
            List<String> texts, int[] labels, int classes, double flipShare, double saladShare, long seed) {
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
        if (!(flipShare >= 0 && flipShare <= 1 && saladShare >= 0) || classes < 2) {
            throw new IllegalArgumentException("flipShare " + flipShare + " must be in [0, 1], saladShare " + saladShare
                    + " >= 0 and classes " + classes + " >= 2");
        }
        Random random = new Random(seed);
        List<String> outTexts = new ArrayList<>(texts);
        List<Integer> outLabels = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int label : labels) {
            boolean flip = random.nextDouble() < flipShare;
            outLabels.add(flip ? (label + 1 + random.nextInt(classes - 1)) % classes : label);
            kinds.add(flip ? "mislabelled" : "clean");
        }
        int salads = (int) Math.round(saladShare * texts.size());
        for (int i = 0; i < salads && !texts.isEmpty(); i++) {
            List<String> words = new ArrayList<>(
                    List.of(texts.get(random.nextInt(texts.size())).split("\\s+")));
            Collections.shuffle(words, random);
            outTexts.add(String.join(" ", words));
            outLabels.add(random.nextInt(classes));
            kinds.add("word salad");
        }
        return new Planted(
                outTexts, outLabels.stream().mapToInt(Integer::intValue).toArray(), kinds);
    }

    /**
     * A labelled set with planted noise.
     *
     * @param texts the texts
     * @param labels their labels (flipped where planted)
     * @param kinds {@code clean}, {@code mislabelled} or {@code word salad}, per sample
     */
    public record Planted(List<String> texts, int[] labels, List<String> kinds) {

        /** How many samples of each kind: kind, samples, in order of first appearance. */
        public Table counts() {
            Map<String, Integer> n = new LinkedHashMap<>();
            kinds.forEach(k -> n.merge(k, 1, Integer::sum));
            return Table.create(
                    "Planted set by kind",
                    StringColumn.create("kind", n.keySet()),
                    IntColumn.create(
                            "samples",
                            n.values().stream().mapToInt(Integer::intValue).toArray()));
        }

        /** Whether each sample is planted noise. */
        public boolean[] noise() {
            boolean[] out = new boolean[kinds.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = !kinds.get(i).equals("clean");
            }
            return out;
        }

        /**
         * The samples at some indexes, in that order.
         *
         * @param indexes the indexes, e.g. a noise filter's kept list
         * @return the subset
         */
        public Planted subset(List<Integer> indexes) {
            return new Planted(
                    indexes.stream().map(texts::get).toList(),
                    indexes.stream().mapToInt(i -> labels[i]).toArray(),
                    indexes.stream().map(kinds::get).toList());
        }

        /** The indexes of the samples of one kind. */
        public List<Integer> indexesOf(String kind) {
            return IntStream.range(0, kinds.size())
                    .filter(i -> kinds.get(i).equals(kind))
                    .boxed()
                    .toList();
        }

        /**
         * The groups a noise audit reports: {@code all noise}, then each kind of noise in name order.
         *
         * @return group name to whether each sample belongs to it
         */
        public Map<String, boolean[]> noiseGroups() {
            Map<String, boolean[]> out = new LinkedHashMap<>();
            out.put("all noise", noise());
            kinds.stream().filter(k -> !k.equals("clean")).distinct().sorted().forEach(k -> out.put(k, is(k)));
            return out;
        }

        /** Whether each sample is of one kind. */
        public boolean[] is(String kind) {
            boolean[] out = new boolean[kinds.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = kinds.get(i).equals(kind);
            }
            return out;
        }
    }
}
