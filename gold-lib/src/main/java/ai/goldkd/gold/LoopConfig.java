package ai.goldkd.gold;

/**
 * The loop's sizes: how many iterations, how many samples each asks for, how often the student learns.
 *
 * @param iterations T, the loop's iterations
 * @param trainBatch samples asked for per iteration for training
 * @param validationBatch samples asked for per iteration with the OOD-validation prompt
 * @param oodPrompt whether the validation batch's prompts ask for a clearly different sample (GOLD's
 *     OOD-validation prompt); false for ZeroGen, whose samples all come from the plain prompt
 * @param updateEvery K: the student takes a pass over all data so far every K iterations
 * @param updateEpochs passes per continual update
 */
public record LoopConfig(
        int iterations, int trainBatch, int validationBatch, boolean oodPrompt, int updateEvery, int updateEpochs) {

    /** Checks every field and names the bad value. */
    public LoopConfig {
        GoldConfig.require(iterations >= 1, "loop.iterations must be >= 1, got " + iterations);
        GoldConfig.require(
                trainBatch >= 1 && validationBatch >= 1,
                "loop.trainBatch and loop.validationBatch must be" + " >= 1, got " + trainBatch + ", "
                        + validationBatch);
        GoldConfig.require(
                updateEvery >= 1 && updateEpochs >= 1,
                "loop.updateEvery and loop.updateEpochs must be" + " >= 1, got " + updateEvery + ", " + updateEpochs);
    }

    /** The small budget's loop: 25 iterations of 80 + 40 samples, an update every 5 of 2 passes. */
    public static LoopConfig defaults() {
        return new LoopConfig(25, 80, 40, true, 5, 2);
    }

    /** @return a copy with T iterations */
    public LoopConfig withIterations(int value) {
        return new LoopConfig(value, trainBatch, validationBatch, oodPrompt, updateEvery, updateEpochs);
    }

    /** @return a copy asking for this many training samples per iteration */
    public LoopConfig withTrainBatch(int value) {
        return new LoopConfig(iterations, value, validationBatch, oodPrompt, updateEvery, updateEpochs);
    }

    /** @return a copy asking for this many OOD-validation samples per iteration */
    public LoopConfig withValidationBatch(int value) {
        return new LoopConfig(iterations, trainBatch, value, oodPrompt, updateEvery, updateEpochs);
    }

    /** @return a copy with or without the OOD-validation prompt */
    public LoopConfig withOodPrompt(boolean value) {
        return new LoopConfig(iterations, trainBatch, validationBatch, value, updateEvery, updateEpochs);
    }

    /** @return a copy updating the student every K iterations */
    public LoopConfig withUpdateEvery(int value) {
        return new LoopConfig(iterations, trainBatch, validationBatch, oodPrompt, value, updateEpochs);
    }

    /** @return a copy taking this many passes per update */
    public LoopConfig withUpdateEpochs(int value) {
        return new LoopConfig(iterations, trainBatch, validationBatch, oodPrompt, updateEvery, value);
    }

    /** The generated samples the loop asks for: iterations x (training + validation batch). */
    public int sampleBudget() {
        return iterations * (trainBatch + validationBatch);
    }
}
