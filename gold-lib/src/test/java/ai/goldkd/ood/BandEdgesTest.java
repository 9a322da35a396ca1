package ai.goldkd.ood;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandEdgesTest {

    @Test
    void edgesLieHalfwayToTheNeighboursOfTheChosenRanks() {
        float[] e = {7f, 0f, 5f, 1f, 6f, 2f, 4f, 3f}; // ranks 4 and 5 are 4 and 5
        assertEquals(List.of(6, 2), FeedbackSelector.band(0.5, 0.8).select(Candidates.of(e), new Random(1)));
        assertArrayEquals(new double[] {3.5, 5.5}, FeedbackSelector.bandEdges(e, 0.5, 0.8), 1e-9);
    }

    @Test
    void aBandReachingTheTopEndsAtTheHighestEnergy() {
        float[] e = {0f, 1f, 2f, 3f};
        assertArrayEquals(new double[] {1.5, 3.0}, FeedbackSelector.bandEdges(e, 0.5, 1.0), 1e-9);
        assertArrayEquals(new double[] {0.0, 0.5}, FeedbackSelector.bandEdges(e, 0.0, 0.25), 1e-9);
    }

    @Test
    void anEmptyBandHasNoEdges() {
        double[] edges = FeedbackSelector.bandEdges(new float[] {1f, 2f}, 0.5, 0.8);
        assertTrue(Double.isNaN(edges[0]) && Double.isNaN(edges[1]));
    }

    @Test
    void meanOfEnergies() {
        assertEquals(-1.0, Energy.mean(new float[] {-0.5f, -1.5f}), 1e-9);
        assertTrue(Double.isNaN(Energy.mean(new float[0])));
    }
}
