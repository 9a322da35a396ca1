package ai.goldkd.loss;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain-array distributions, divergences on them, TAID's target and the one-mode fits. */
class DistributionsTest {

    private static final float[] TEACHER =
            Distributions.mixture(Distributions.gaussian(100, 30, 6), Distributions.gaussian(100, 72, 8), 0.6);

    @Test
    void gaussianIsNormalisedAndCentred() {
        float[] g = Distributions.gaussian(100, 40, 5);
        double sum = 0;
        for (float x : g) {
            sum += x;
        }
        assertEquals(1, sum, 1e-5);
        assertEquals(40, Distributions.mean(g), 1e-3);
        assertEquals(5, Distributions.std(g), 1e-2);
    }

    @Test
    void divergenceOnArraysMatchesTheGoldenValue() {
        // GKD.md: teacher [0.9, 0.1], student [0.1, 0.9] gives 0.8 ln 9 for forward and reverse KL
        float[] teacher = {0.9f, 0.1f};
        float[] student = {0.1f, 0.9f};
        assertEquals(0.8 * Math.log(9), Distributions.divergence(Divergences.forwardKl(), teacher, student), 1e-5);
        assertEquals(0.8 * Math.log(9), Distributions.divergence(Divergences.reverseKl(), teacher, student), 1e-5);
        assertEquals(0.8, Distributions.divergence(Divergences.totalVariation(), teacher, student), 1e-6);
        for (Divergence d : Divergences.family()) {
            assertEquals(0, Distributions.divergence(d, teacher, teacher), 1e-6, d.name());
        }
    }

    @Test
    void familyHasDistinctNames() {
        Set<String> names = new HashSet<>();
        Divergences.family().forEach(d -> names.add(d.name()));
        assertEquals(9, names.size());
    }

    @Test
    void badInputNamesTheValueAndTheFix() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Distributions.divergence(
                        Divergences.forwardKl(), new float[] {0.5f, 0.6f}, new float[] {0.5f, 0.5f}));
        assertTrue(e.getMessage().contains("sums to") && e.getMessage().contains("normalise"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Distributions.divergence(
                        Divergences.forwardKl(), new float[] {0.5f, 0.5f}, new float[] {1f, 0f, 0f}));
        assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Distributions.gaussian(100, 10, 0));
        assertTrue(e.getMessage().contains("std = 0"), e.getMessage());
    }

    @Test
    void taidTargetRunsFromStudentToTeacher() {
        float[] student = Distributions.gaussian(20, 8, 3);
        float[] teacher =
                Distributions.mixture(Distributions.gaussian(20, 3, 1), Distributions.gaussian(20, 15, 2), 0.5);
        for (Taid.Interpolation how : Taid.Interpolation.values()) {
            assertArrayClose(student, Distributions.taidTarget(student, teacher, 0f, how));
            assertArrayClose(teacher, Distributions.taidTarget(student, teacher, 1f, how));
        }
        // In logit space, t = 1/2 is the normalised geometric mean sqrt(p q).
        double[] geo = new double[20];
        for (int v = 0; v < 20; v++) {
            geo[v] = 0.5 * (Math.log(student[v]) + Math.log(teacher[v]));
        }
        assertArrayClose(
                Distributions.softmax(geo),
                Distributions.taidTarget(student, teacher, 0.5f, Taid.Interpolation.LOGITS));
        assertArrayClose(
                Distributions.mixture(student, teacher, 0.5),
                Distributions.taidTarget(student, teacher, 0.5f, Taid.Interpolation.PROBABILITIES));
    }

    @Test
    void forwardKlCoversAndMatchesTheTeachersMoments() {
        GaussianFit fit = GaussianFit.fit(Divergences.forwardKl(), TEACHER, 50, 20, 400);
        assertEquals(Distributions.mean(TEACHER), Distributions.mean(fit.distribution()), 0.5);
        assertEquals(Distributions.std(TEACHER), Distributions.std(fit.distribution()), 0.5);
    }

    @Test
    void reverseKlSeeksOneMode() {
        GaussianFit fit = GaussianFit.fit(Divergences.reverseKl(), TEACHER, 45, 10, 400);
        assertEquals(30, fit.mean(), 2, "mean " + fit.mean());
        assertEquals(6, fit.std(), 1.5, "std " + fit.std());
        GaussianFit other = GaussianFit.fit(Divergences.reverseKl(), TEACHER, 60, 10, 400);
        assertEquals(72, other.mean(), 2, "mean " + other.mean());
        // Started wide, reverse KL stops in a worse local minimum that straddles both modes.
        GaussianFit wide = GaussianFit.fit(Divergences.reverseKl(), TEACHER, 45, 20, 400);
        assertTrue(wide.std() > 15 && wide.loss() > fit.loss() + 0.1, "std " + wide.std() + ", loss " + wide.loss());
    }

    private static void assertArrayClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "index " + i);
        }
    }
}
