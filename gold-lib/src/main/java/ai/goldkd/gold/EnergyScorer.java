package ai.goldkd.gold;

import ai.goldkd.data.Example;

import java.util.List;

/**
 * The energy score (Liu et al., 2020) of the student's outputs: {@code -T logsumexp(f / T)}, as each
 * student computes it for its outputs ({@link LoopStudent#energies}).
 *
 * @param temperature T
 */
public record EnergyScorer(float temperature) implements OodScorer {

    @Override
    public float[] score(LoopStudent student, List<Example> samples) {
        return samples.isEmpty() ? new float[0] : student.energies(samples, temperature);
    }
}
