package ai.goldkd.ood;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseFilterTest {

    private static final float[] ENERGIES = {0.5f, -2f, 3f, 1f, -1f, 7f, 2f, 0f, 4f, -3f}; // 10 samples
    // ascending: 9(-3) 1(-2) 4(-1) 7(0) 0(0.5) 3(1) 6(2) 2(3) 8(4) 5(7)

    @Test
    void dropsFloorOfFractionTimesNHighestEnergies() {
        NoiseFilter.Split split = new NoiseFilter(0.25).apply(ENERGIES); // floor(2.5) = 2
        assertEquals(List.of(8, 5), split.dropped());
        assertEquals(List.of(9, 1, 4, 7, 0, 3, 6, 2), split.kept());

        assertEquals(List.of(5), new NoiseFilter(0.1).apply(ENERGIES).dropped()); // floor(1.0) = 1
        assertEquals(List.of(), new NoiseFilter(0.09).apply(ENERGIES).dropped()); // floor(0.9) = 0
        NoiseFilter.Split most = new NoiseFilter(0.99).apply(ENERGIES); // floor(9.9) = 9
        assertEquals(List.of(9), most.kept());
        assertEquals(9, most.dropped().size());
    }

    @Test
    void everyDroppedEnergyIsAtLeastEveryKeptOne() {
        float[] e = new float[57];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) r.nextGaussian();
        }
        NoiseFilter.Split split = new NoiseFilter(0.2).apply(e);
        assertEquals(11, split.dropped().size());
        assertEquals(46, split.kept().size());
        List<Integer> all = new ArrayList<>(split.kept());
        all.addAll(split.dropped());
        assertEquals(57, new java.util.HashSet<>(all).size());
        float maxKept = Float.NEGATIVE_INFINITY;
        for (int i : split.kept()) {
            maxKept = Math.max(maxKept, e[i]);
        }
        for (int i : split.dropped()) {
            assertTrue(e[i] >= maxKept, "dropped " + e[i] + " below kept " + maxKept);
        }
    }

    @Test
    void zeroKeepsEverything() {
        NoiseFilter.Split split = new NoiseFilter(0).apply(ENERGIES);
        assertEquals(List.of(), split.dropped());
        assertEquals(List.of(9, 1, 4, 7, 0, 3, 6, 2, 8, 5), split.kept());
        assertEquals(List.of(), new NoiseFilter(0.5).apply(new float[0]).kept());
    }

    @Test
    void badFractionsAreRejectedNamingTheValue() {
        for (double f : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NoiseFilter(f));
            assertTrue(e.getMessage().contains(String.valueOf(f)), e.getMessage());
        }
    }
}
