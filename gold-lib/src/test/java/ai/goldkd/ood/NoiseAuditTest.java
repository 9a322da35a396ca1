package ai.goldkd.ood;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NoiseAuditTest {

    @Test
    void precisionAndRecallCountTheNoiseAmongTheDropped() {
        float[] energies = {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4};
        boolean[] noise = {false, false, true, false, false, false, false, false, true, true};
        Table t = NoiseAudit.precisionRecall(energies, noise, 0.0, 0.2, 0.5);
        assertEquals(0, t.intColumn("dropped").get(0));
        assertEquals(2, t.intColumn("dropped").get(1)); // energies 3 and 4: both noise
        assertEquals(1.0, t.doubleColumn("precision").get(1), 1e-12);
        assertEquals(0.6667, t.doubleColumn("recall").get(1), 1e-12);
        assertEquals(5, t.intColumn("dropped").get(2)); // 0..4: two of them noise
        assertEquals(0.4, t.doubleColumn("precision").get(2), 1e-12);
        assertEquals(0.6667, t.doubleColumn("recall").get(2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> NoiseAudit.precisionRecall(energies, new boolean[3], 0.1));
    }

    @Test
    void percentilesRankByEnergy() {
        assertArrayEquals(new double[] {1.0, 0.0, 0.5}, NoiseAudit.percentiles(new float[] {3, -1, 0}), 1e-12);
    }

    @Test
    void plantingFlipsLabelsAndAddsSalads() {
        java.util.List<String> texts = java.util.Collections.nCopies(1000, "a fine film indeed");
        int[] labels = new int[1000];
        NoiseAudit.Planted p = NoiseAudit.plant(texts, labels, 2, 0.1, 0.05, 3);
        assertEquals(1050, p.texts().size());
        long flipped = p.kinds().stream().filter("mislabelled"::equals).count();
        org.junit.jupiter.api.Assertions.assertTrue(flipped > 70 && flipped < 130, "flipped " + flipped);
        for (int i = 0; i < 1000; i++) {
            assertEquals(p.kinds().get(i).equals("mislabelled") ? 1 : 0, p.labels()[i]);
        }
        assertEquals("word salad", p.kinds().get(1049));
        org.junit.jupiter.api.Assertions.assertTrue(p.noise()[1049] && !p.is("clean")[1049]);
    }

    @Test
    void aPlanPlantsWhatTheSixArgumentCallDoesAndTheAuditIsOneLongTable() {
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("review number " + i + " of a fine film");
        }
        int[] labels = new int[200];
        NoiseAudit.Planted p = NoiseAudit.plant(
                texts, labels, 2, NoiseAudit.Plan.flips(0.1).withSalads(0.05).withSeed(3));
        NoiseAudit.Planted same = NoiseAudit.plant(texts, labels, 2, 0.1, 0.05, 3);
        assertEquals(same.kinds(), p.kinds());
        org.junit.jupiter.api.Assertions.assertArrayEquals(same.labels(), p.labels());
        Table counts = p.counts();
        assertEquals(
                java.util.List.of("clean", "mislabelled", "word salad"),
                counts.stringColumn("kind").asList());
        assertEquals(p.texts().size(), (int) counts.intColumn("samples").sum());
        assertEquals(10, counts.intColumn("samples").get(2), "5% of 200 salads");

        // energies that rank every salad highest, then the flips, then the clean samples
        float[] energies = new float[p.texts().size()];
        for (int i = 0; i < energies.length; i++) {
            energies[i] = p.kinds().get(i).equals("word salad")
                    ? 10 + i
                    : p.kinds().get(i).equals("mislabelled") ? 5 + i / 1000f : -i / 1000f;
        }
        Table audit = NoiseAudit.filterAudit(energies, p, 0.05, 0.5);
        assertEquals(
                java.util.List.of("all noise", "all noise", "mislabelled", "mislabelled", "word salad", "word salad"),
                audit.stringColumn("noise").asList());
        Table all = NoiseAudit.precisionRecall(energies, p.noise(), 0.05, 0.5);
        assertEquals(
                all.doubleColumn("precision").asList(),
                audit.doubleColumn("precision").asList().subList(0, 2));
        // the top 5% (10 or 11 samples) are the 10 salads: all their recall
        assertEquals(1.0, audit.doubleColumn("recall").get(4), 1e-9, "salads found at 5%");
        assertEquals(1.0, audit.doubleColumn("recall").get(3), 1e-9, "flips found at 50%");
        assertThrows(IllegalArgumentException.class, () -> NoiseAudit.Plan.flips(1.5));
    }
}
