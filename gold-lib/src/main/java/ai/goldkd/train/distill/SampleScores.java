package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.model.Generation;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * A student scored against a teacher whose distribution is the data's (a white-box teacher such as a
 * Markov chain, where the references are the teacher's own samples), on the two axes of the synthetic
 * oracle experiments: how good the student's own samples are, and how much of the teacher's
 * language the student covers. Per answer token (the end of sequence counted), in nats, lower better:
 *
 * <ul>
 *   <li>{@code quality} = E_{y ~ q}[-log p(y_n | y_<n, x)]: the teacher's negative log-likelihood of the
 *       student's samples at temperature 1 (the oracle NLL). Reverse KL and on-policy training aim here.
 *   <li>{@code coverage} = E_{y ~ p}[-log q(y_n | y_<n, x)]: the student's negative log-likelihood of
 *       held-out teacher samples (the test NLL); at least the teacher's entropy rate. Forward KL aims here.
 *   <li>{@code selfNll} = E_{y ~ q}[-log q(y_n | ...)]: the student's entropy on its own samples;
 *       {@code quality - selfNll} estimates the reverse KL KL(q || p) per token, on what the student writes.
 *   <li>{@code teacherNll} = E_{y ~ p}[-log p(y_n | ...)]: the teacher's NLL of the same references (its
 *       entropy rate); {@code coverage - teacherNll} estimates the forward KL KL(p || q) per token.
 * </ul>
 *
 * <p>Both KLs are sequence-level divergences (sums over a sequence of the token log-ratios, divided by
 * the mean length), each >= 0 and 0 only for a student that is the teacher; each is estimated by
 * sampling from the distribution it takes the expectation under, so it is exact up to sampling noise.
 *
 * @param quality the teacher's NLL of the student's samples, nats per token
 * @param coverage the student's NLL of the held-out references, nats per token
 * @param selfNll the student's NLL of its own samples, nats per token
 * @param teacherNll the teacher's NLL of the held-out references, nats per token
 * @param sampleLength the mean length of the student's samples in tokens (the end counted)
 */
public record SampleScores(double quality, double coverage, double selfNll, double teacherNll, double sampleLength) {

    /** Prompts sampled or scored together. */
    private static final int BATCH = 100;

    /** The reverse KL per token from the student to the teacher on the student's samples (an estimate). */
    public double reverseKl() {
        return quality - selfNll;
    }

    /** The forward KL per token from the teacher to the student on the teacher's samples (an estimate). */
    public double forwardKl() {
        return coverage - teacherNll;
    }

    /**
     * Scores a student.
     *
     * @param student the student
     * @param tokenizer the vocabulary student and teacher share
     * @param teacher the teacher that wrote the references
     * @param heldOut held-out prompts and references (the teacher's samples)
     * @param maxNewTokens the longest sample, the end counted
     * @param seed the sampling seed
     * @return the scores
     */
    public static SampleScores of(
            LanguageModel student,
            Tokenizer tokenizer,
            Teacher teacher,
            List<PromptExample> heldOut,
            int maxNewTokens,
            long seed) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out examples to score on; give some of the teacher's samples");
        }
        int pad = tokenizer.specials().pad();
        CrossEntropyLoss ce = CrossEntropyLoss.tokenMean();
        double teacherSum = 0;
        double studentSum = 0;
        double selfSum = 0;
        double referenceSum = 0;
        long sampled = 0;
        long referenced = 0;
        Sampler sampler = new Sampler(student, tokenizer);
        NDManager owner = student.getParameters().valueAt(0).getArray().getManager();
        for (int i = 0; i < heldOut.size(); i += BATCH) {
            List<PromptExample> chunk = heldOut.subList(i, Math.min(heldOut.size(), i + BATCH));
            List<int[]> prompts = new ArrayList<>();
            List<SequenceExample> references = new ArrayList<>();
            for (PromptExample e : chunk) {
                int[] prompt = DistillationBatches.promptIds(tokenizer, e.prompt());
                prompts.add(prompt);
                references.add(
                        SequenceExample.promptAnswer(prompt, DistillationBatches.answerIds(tokenizer, e.answer())));
            }
            SamplingConfig sampling = SamplingConfig.defaults()
                    .withTemperature(1f)
                    .withMaxNewTokens(maxNewTokens)
                    .withSeed(seed + i);
            List<Generation> samples = sampler.generateIds(prompts, sampling);
            List<SequenceExample> own = new ArrayList<>();
            for (int k = 0; k < samples.size(); k++) {
                Generation g = samples.get(k);
                own.add(SequenceExample.promptAnswer(prompts.get(k), g.tokens()));
                for (float lp : g.logprobs()) {
                    selfSum -= lp;
                }
            }
            try (NDManager scope = owner.newSubManager()) {
                TrainBatch mine = SequenceBatches.batchOf(scope, own, pad);
                teacherSum += nllSum(ce, mine, teacher.logits(mine.data().get(0), TrainBatch.maskOf(mine.data())));
                sampled += mine.tokens();
                TrainBatch theirs = SequenceBatches.batchOf(scope, references, pad);
                NDArray ids = theirs.data().get(0);
                NDArray mask = TrainBatch.maskOf(theirs.data());
                studentSum += nllSum(ce, theirs, student.logits(new ParameterStore(scope, false), ids, mask, false));
                referenceSum += nllSum(ce, theirs, teacher.logits(ids, mask));
                referenced += theirs.tokens();
            }
        }
        return new SampleScores(
                teacherSum / sampled,
                studentSum / referenced,
                selfSum / sampled,
                referenceSum / referenced,
                (double) sampled / heldOut.size());
    }

    /** A model's summed negative log-likelihood of a batch's target tokens (the token mean times their count). */
    private static double nllSum(CrossEntropyLoss ce, TrainBatch batch, NDArray logits) {
        return batch.tokens() * ce.evaluate(batch.labels(), new NDList(logits)).getFloat();
    }
}
