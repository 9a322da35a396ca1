package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.goldkd.loss.Divergence;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Reduction;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * How far a student is from a dense teacher on held-out reference answers: the token mean, over answer
 * tokens (EOS included), of a divergence between the two full next-token distributions under teacher
 * forcing. The yardstick that puts students trained from a top-k teacher and from the full
 * distribution on one scale.
 *
 * <pre>
 *   D = (1 / N) sum_{answer tokens t} Div(softmax(z_teacher,t) || softmax(z_student,t))      (temperature 1)
 * </pre>
 */
public final class HeldOutDivergence {

    private HeldOutDivergence() {}

    /**
     * The token-mean divergence on examples.
     *
     * @param teacher the dense teacher
     * @param student the student model (inference)
     * @param tokenizer their shared tokenizer
     * @param examples prompts with reference answers
     * @param divergence e.g. {@link ai.goldkd.loss.Divergences#forwardKl()}
     * @param batchSize examples per batch, >= 1
     * @return D, averaged over all answer tokens
     */
    public static double of(
            Teacher teacher,
            LanguageModel student,
            Tokenizer tokenizer,
            List<PromptExample> examples,
            Divergence divergence,
            int batchSize) {
        if (examples.isEmpty() || batchSize < 1) {
            throw new IllegalArgumentException(
                    "give at least one example and a batch size >= 1, got " + examples.size() + " and " + batchSize);
        }
        DivergenceLoss loss = new DivergenceLoss(divergence, Reduction.sum(), 1f, Reduction.IGNORE_INDEX);
        double sum = 0;
        long tokens = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<SequenceExample> batch = new ArrayList<>();
            for (PromptExample e : examples.subList(from, Math.min(examples.size(), from + batchSize))) {
                batch.add(SequenceExample.promptAnswer(
                        DistillationBatches.promptIds(tokenizer, e.prompt()),
                        DistillationBatches.answerIds(tokenizer, e.answer())));
            }
            try (NDManager scope = NDManager.newBaseManager()) {
                TrainBatch b = SequenceBatches.batchOf(
                        scope, batch, tokenizer.specials().pad());
                NDList data = b.data();
                NDArray mask = TrainBatch.maskOf(data);
                NDArray z = student.logits(new ParameterStore(scope, false), data.get(0), mask, false); // (B, T, V)
                NDArray p = teacher.logits(data.get(0), mask); // (B, T, V)
                scope.tempAttachAll(z, p);
                sum += loss.compute(z, p, b.labels().get(0)).getFloat();
                tokens += b.tokens();
            }
        }
        return sum / tokens;
    }
}
