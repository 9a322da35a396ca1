package ai.goldkd.train;

import ai.djl.training.Trainer;

/** Scores the model during training; lower is better (a validation loss, or 1 - accuracy). */
@FunctionalInterface
public interface Evaluation {

    /**
     * Evaluates the model.
     *
     * @param trainer the trainer, whose model to evaluate (without gradients)
     * @return the score, lower is better
     */
    double score(Trainer trainer);
}
