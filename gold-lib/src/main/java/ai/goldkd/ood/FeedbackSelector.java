package ai.goldkd.ood;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Chooses which validation samples go back to the teacher as examples. GOLD's default is the
 * percentile band of energy (50-80%): far enough from the centre to move generation, not so far as
 * to be noise. The other selectors make the paper's ablations one setting away.
 */
public interface FeedbackSelector {

    /**
     * Chooses.
     *
     * @param candidates the validation batch's scores
     * @param random the seeded source for selectors that draw
     * @return the chosen indexes, in ascending energy order where energy decides
     */
    List<Integer> select(Candidates candidates, Random random);

    /** A short name for reports ({@code band-50-80}, {@code random}, ...). */
    String name();

    /**
     * The samples whose energy rank lies in {@code [low, high)} as a fraction of the batch, ranked by
     * ascending energy. With 8 samples, 50-80% picks ranks 4 and 5 (0-based), as the paper's code does.
     *
     * @param low the band's lower percentile in [0, 1)
     * @param high its upper percentile in (low, 1]
     * @return the selector
     */
    static FeedbackSelector band(double low, double high) {
        if (!(low >= 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException("band [" + low + ", " + high + ") is not inside [0, 1] with low < high;"
                    + " GOLD uses 0.5 and 0.8");
        }
        return new Named(
                String.format(Locale.ROOT, "band-%d-%d", Math.round(low * 100), Math.round(high * 100)), (c, r) -> {
                    int[] order = ascending(c.energies());
                    int from = (int) Math.floor(low * order.length);
                    int to = (int) Math.floor(high * order.length);
                    List<Integer> out = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        out.add(order[i]);
                    }
                    return out;
                });
    }

    /**
     * The band's edges in energy units, for drawing it: halfway between the last sample below the band
     * and the first in it, and halfway between the last in it and the first above (the batch's lowest
     * or highest energy where the band reaches an end of the ranking).
     *
     * @param energies the batch's energies
     * @param low the band's lower percentile, as {@link #band(double, double)}
     * @param high its upper percentile
     * @return {@code [from, to]}, or NaNs when the band holds no sample
     */
    static double[] bandEdges(float[] energies, double low, double high) {
        int[] order = ascending(energies);
        int from = (int) Math.floor(low * order.length);
        int to = (int) Math.floor(high * order.length);
        if (to <= from) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double left = from == 0 ? energies[order[0]] : (energies[order[from - 1]] + energies[order[from]]) / 2.0;
        double right =
                to == order.length ? energies[order[to - 1]] : (energies[order[to - 1]] + energies[order[to]]) / 2.0;
        return new double[] {left, right};
    }

    /**
     * A random share of the batch, the same count the band would choose.
     *
     * @param fraction the share chosen, in (0, 1]
     * @return the selector
     */
    static FeedbackSelector random(double fraction) {
        checkFraction(fraction);
        return new Named("random", (c, r) -> {
            List<Integer> all =
                    new ArrayList<>(IntStream.range(0, c.size()).boxed().toList());
            Collections.shuffle(all, r);
            List<Integer> out = new ArrayList<>(all.subList(0, count(fraction, c.size())));
            out.sort(Comparator.comparingDouble(i -> c.energies()[i]));
            return out;
        });
    }

    /**
     * The highest-energy share of the batch.
     *
     * @param fraction the share chosen, in (0, 1]
     * @return the selector
     */
    static FeedbackSelector topEnergy(double fraction) {
        checkFraction(fraction);
        return new Named("top-energy", (c, r) -> {
            int[] order = ascending(c.energies());
            List<Integer> out = new ArrayList<>();
            for (int i = order.length - count(fraction, order.length); i < order.length; i++) {
                out.add(order[i]);
            }
            return out;
        });
    }

    /** No feedback (ZeroGen). */
    static FeedbackSelector none() {
        return new Named("none", (c, r) -> List.of());
    }

    /**
     * ProGen-style: the share of the batch with the highest influence score
     * ({@link Candidates#influence()}).
     *
     * @param fraction the share chosen, in (0, 1]
     * @return the selector
     */
    static FeedbackSelector influence(double fraction) {
        checkFraction(fraction);
        return new Named("influence", (c, r) -> {
            double[] scores = c.influence().get();
            if (scores.length != c.size()) {
                throw new IllegalStateException(scores.length + " influence scores for " + c.size() + " candidates");
            }
            Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
            Arrays.sort(
                    order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
            return List.of(order).subList(0, count(fraction, scores.length));
        });
    }

    /**
     * Parses a selector name as configs and the command line write it.
     *
     * @param name {@code band}, {@code random}, {@code top}, {@code none} or {@code influence}
     * @param low the band's lower percentile (band only)
     * @param high the band's upper percentile; the others choose {@code high - low} of the batch
     * @return the selector
     */
    static FeedbackSelector parse(String name, double low, double high) {
        SelectorKind kind = switch (name.toLowerCase(Locale.ROOT)) {
            case "band" -> SelectorKind.BAND;
            case "random" -> SelectorKind.RANDOM;
            case "top", "top-energy" -> SelectorKind.TOP;
            case "none" -> SelectorKind.NONE;
            case "influence", "progen" -> SelectorKind.INFLUENCE;
            default ->
                throw new IllegalArgumentException(
                        "feedback selector '" + name + "' is unknown; use band," + " random, top, none or influence");
        };
        return kind.create(low, high);
    }

    /**
     * Indexes sorted by ascending energy, ties by index.
     *
     * @param energies the energies
     * @return the order
     */
    static int[] ascending(float[] energies) {
        return IntStream.range(0, energies.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> energies[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int count(double fraction, int size) {
        return (int) Math.min(size, Math.max(size == 0 ? 0 : 1, Math.round(fraction * size)));
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction " + fraction + " must be in (0, 1]");
        }
    }

    /** A selector with a name. */
    record Named(String name, Selection selection) implements FeedbackSelector {
        @Override
        public List<Integer> select(Candidates candidates, Random random) {
            return selection.select(candidates, random);
        }
    }

    /** The choice itself. */
    @FunctionalInterface
    interface Selection {
        List<Integer> select(Candidates candidates, Random random);
    }
}
