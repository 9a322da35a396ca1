package ai.goldkd.gold;

import ai.goldkd.data.Example;

import java.util.List;

/** Scores how out-of-distribution samples are for the loop's student (higher: less familiar). */
public interface OodScorer {

    /**
     * Scores samples.
     *
     * @param student the loop's student, as it is now
     * @param samples the samples
     * @return one score per sample
     */
    float[] score(LoopStudent student, List<Example> samples);
}
