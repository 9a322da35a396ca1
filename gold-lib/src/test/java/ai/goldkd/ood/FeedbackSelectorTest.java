package ai.goldkd.ood;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackSelectorTest {

    /** Energies whose ascending order is a known permutation: rank r sits at index order[r]. */
    private static float[] energiesWithOrder(int[] order) {
        float[] e = new float[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            e[order[rank]] = -3f + 0.25f * rank;
        }
        return e;
    }

    private static int[] shuffled(int n, long seed) {
        List<Integer> idx = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        java.util.Collections.shuffle(idx, new Random(seed));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Integer> ranks(int[] order, int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int r = from; r < to; r++) {
            out.add(order[r]);
        }
        return out;
    }

    @Test
    void bandOnEightSamplesPicksRanksFourAndFive() {
        int[] order = {6, 2, 7, 0, 5, 3, 1, 4};
        FeedbackSelector band = FeedbackSelector.band(0.5, 0.8);
        assertEquals(List.of(5, 3), band.select(Candidates.of(energiesWithOrder(order)), new Random(1)));
        assertEquals("band-50-80", band.name());
    }

    @Test
    void bandOnFortySamplesPicksRanksTwentyToThirtyOne() {
        int[] order = shuffled(40, 7);
        List<Integer> chosen =
                FeedbackSelector.band(0.5, 0.8).select(Candidates.of(energiesWithOrder(order)), new Random(1));
        assertEquals(12, chosen.size());
        assertEquals(ranks(order, 20, 32), chosen);
    }

    @Test
    void tiesAreBrokenByIndex() {
        float[] energies = {1f, 0f, 1f, 1f, 0f, 1f, 2f, 1f}; // ascending: 1, 4, 0, 2, 3, 5, 7, 6
        assertEquals(List.of(3, 5), FeedbackSelector.band(0.5, 0.8).select(Candidates.of(energies), new Random(3)));
        assertEquals(
                List.of(1, 4, 0, 2, 3, 5, 7, 6),
                List.of(java.util.Arrays.stream(FeedbackSelector.ascending(energies))
                        .boxed()
                        .toArray(Integer[]::new)));
    }

    @Test
    void randomPicksTheBandsCountSeededAndInEnergyOrder() {
        float[] energies = energiesWithOrder(shuffled(40, 11));
        Candidates c = Candidates.of(energies);
        FeedbackSelector random = FeedbackSelector.parse("random", 0.5, 0.8);
        assertEquals("random", random.name());
        List<Integer> a = random.select(c, new Random(42));
        List<Integer> b = random.select(c, new Random(42));
        assertEquals(FeedbackSelector.band(0.5, 0.8).select(c, new Random(0)).size(), a.size());
        assertEquals(12, a.size());
        assertEquals(a, b, "the same seed should choose the same samples");
        assertEquals(12, new HashSet<>(a).size(), "no sample chosen twice");
        for (int i = 1; i < a.size(); i++) {
            assertTrue(energies[a.get(i - 1)] <= energies[a.get(i)], "not in ascending energy order: " + a);
        }
        boolean differs = false;
        for (long seed = 43; seed < 48 && !differs; seed++) {
            differs = !random.select(c, new Random(seed)).equals(a);
        }
        assertTrue(differs, "other seeds should choose other samples");
        assertEquals(
                2,
                random.select(Candidates.of(energiesWithOrder(shuffled(8, 1))), new Random(1))
                        .size());
    }

    @Test
    void topEnergyPicksTheHighest() {
        int[] order = shuffled(40, 5);
        FeedbackSelector top = FeedbackSelector.parse("top", 0.5, 0.8);
        assertEquals("top-energy", top.name());
        assertEquals(ranks(order, 28, 40), top.select(Candidates.of(energiesWithOrder(order)), new Random(1)));
        assertEquals(
                List.of(9),
                FeedbackSelector.topEnergy(0.01)
                        .select(Candidates.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 100, -5}), new Random(1)),
                "a tiny fraction still chooses one sample");
    }

    @Test
    void noneChoosesNothing() {
        FeedbackSelector none = FeedbackSelector.parse("none", 0.5, 0.8);
        assertEquals("none", none.name());
        assertEquals(List.of(), none.select(Candidates.of(new float[] {3, 1, 2, 5, 4}), new Random(1)));
    }

    @Test
    void influencePicksTheHighestScoresTiesByIndex() {
        double[] scores = {0.1, 5.0, -2.0, 5.0, 3.0, 0.0, 4.0, -1.0, 2.0, 1.0};
        // Energies disagree with the scores on purpose: influence must not look at them.
        float[] energies = {9, 0, 8, 1, 7, 2, 6, 3, 5, 4};
        FeedbackSelector influence = FeedbackSelector.parse("influence", 0.5, 0.8);
        assertEquals("influence", influence.name());
        assertEquals(List.of(1, 3, 6), influence.select(new Candidates(energies, () -> scores), new Random(1)));
        assertEquals("influence", FeedbackSelector.parse("progen", 0.5, 0.8).name());

        IllegalStateException wrongCount = assertThrows(
                IllegalStateException.class,
                () -> influence.select(new Candidates(energies, () -> new double[3]), new Random(1)));
        assertTrue(
                wrongCount.getMessage().contains("3") && wrongCount.getMessage().contains("10"),
                wrongCount.getMessage());
        IllegalStateException noScores = assertThrows(
                IllegalStateException.class, () -> influence.select(Candidates.of(energies), new Random(1)));
        assertTrue(noScores.getMessage().contains("influence"), noScores.getMessage());
    }

    @Test
    void influenceScoresAreComputedOnlyWhenAsked() {
        int[] calls = {0};
        Candidates c = new Candidates(new float[] {1, 2, 3, 4}, () -> {
            calls[0]++;
            return new double[] {1, 2, 3, 4};
        });
        FeedbackSelector.band(0.5, 0.8).select(c, new Random(1));
        FeedbackSelector.random(0.5).select(c, new Random(1));
        assertEquals(0, calls[0]);
        FeedbackSelector.influence(0.5).select(c, new Random(1));
        assertEquals(1, calls[0]);
    }

    @Test
    void parseNamesTheChoicesOnABadName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FeedbackSelector.parse("foo", 0.5, 0.8));
        assertTrue(e.getMessage().contains("'foo'"), e.getMessage());
        for (String name : new String[] {"band", "random", "top", "none", "influence"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage() + " should name " + name);
        }
        assertEquals("band-50-80", FeedbackSelector.parse("BAND", 0.5, 0.8).name());
    }

    @Test
    void badBandsAreRejectedNamingTheValue() {
        double[][] bad = {{0.8, 0.5}, {0.5, 0.5}, {-0.1, 0.5}, {0.5, 1.2}, {Double.NaN, 0.8}};
        for (double[] b : bad) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FeedbackSelector.band(b[0], b[1]),
                    "band " + b[0] + ", " + b[1]);
            assertTrue(
                    e.getMessage().contains(String.valueOf(b[0]))
                            && e.getMessage().contains(String.valueOf(b[1])),
                    e.getMessage());
        }
        assertEquals("band-0-100", FeedbackSelector.band(0, 1).name());
    }

    @Test
    void badFractionsAreRejectedNamingTheValue() {
        for (double f : new double[] {0, -0.3, 1.5, Double.NaN}) {
            for (java.util.function.DoubleFunction<FeedbackSelector> make :
                    List.<java.util.function.DoubleFunction<FeedbackSelector>>of(
                            FeedbackSelector::random, FeedbackSelector::topEnergy, FeedbackSelector::influence)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> make.apply(f));
                assertTrue(e.getMessage().contains(String.valueOf(f)), e.getMessage());
            }
        }
        // parse gives the non-band selectors high - low of the batch; an empty band is no fraction.
        assertThrows(IllegalArgumentException.class, () -> FeedbackSelector.parse("random", 0.5, 0.5));
    }

    @Test
    void emptyBatchesChooseNothing() {
        Candidates empty = Candidates.of(new float[0]);
        for (FeedbackSelector s : List.of(
                FeedbackSelector.band(0.5, 0.8),
                FeedbackSelector.random(0.3),
                FeedbackSelector.topEnergy(0.3),
                FeedbackSelector.none())) {
            assertEquals(List.of(), s.select(empty, new Random(1)), s.name());
        }
        assertThrows(IllegalArgumentException.class, () -> new Candidates(null, null));
        assertNotEquals(0, Candidates.of(new float[] {1}).size());
    }
}
