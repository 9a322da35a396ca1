package ai.goldkd.train;

/**
 * What a training run did.
 *
 * @param steps the optimizer steps taken in all (including those before a resume)
 * @param lastLoss the training loss of the last step
 * @param bestScore the best evaluation score, or NaN when nothing was evaluated
 * @param bestStep the step of the best score, or -1
 * @param stoppedEarly whether early stopping ended the run
 * @param tokensPerSecond training throughput over this run
 */
public record TrainResult(
        int steps, double lastLoss, double bestScore, int bestStep, boolean stoppedEarly, double tokensPerSecond) {}
