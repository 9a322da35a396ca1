package ai.goldkd.train.distill;

import ai.goldkd.metrics.Answers;

/**
 * Scores a student's sampled completion, for the optional reward term of GKD with RL (Agarwal et al.
 * 2024, section 3.2): the student maximises {@code E[r(y)]} beside minimising the divergence.
 */
@FunctionalInterface
public interface RewardFunction {

    /**
     * The reward of one completion.
     *
     * @param example the prompt and its reference answer
     * @param completion the student's decoded completion
     * @return the reward, finite
     */
    double reward(PromptExample example, String completion);

    /** 1 when the completion's last number equals the reference's ({@link Answers#finalNumberCorrect}), else 0. */
    static RewardFunction finalNumber() {
        return (example, completion) -> Answers.finalNumberCorrect(completion, example.answer()) ? 1.0 : 0.0;
    }
}
