package ai.goldkd.train.distill;

import ai.goldkd.metrics.Answers;
import ai.goldkd.metrics.SliceScore;
import ai.goldkd.metrics.Slices;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Greedy-decoding accuracy of a model's answers: the last number of each generated answer against the
 * reference's ({@link Answers#finalNumberCorrect}), overall and per slice.
 *
 * @param accuracy the fraction of correct answers
 * @param slices accuracy per slice, sorted by slice name
 * @param predictions the generated answers, in the examples' order
 * @param correct per example, whether it was right
 * @param seconds the wall time of generation and scoring
 */
public record AnswerAccuracy(
        double accuracy, List<SliceScore> slices, List<String> predictions, List<Boolean> correct, double seconds) {

    /**
     * Decodes a model's answers greedily and scores them.
     *
     * @param model the model
     * @param tokenizer its tokenizer
     * @param examples the prompts and reference answers
     * @param maxNewTokens the longest answer
     * @param batchSize prompts decoded together
     * @return the accuracy
     */
    public static AnswerAccuracy evaluate(
            LanguageModel model, Tokenizer tokenizer, List<PromptExample> examples, int maxNewTokens, int batchSize) {
        return evaluate(new LocalTeacher(model, tokenizer), examples, maxNewTokens, batchSize);
    }

    /**
     * Decodes a teacher's answers greedily and scores them.
     *
     * @param teacher the teacher
     * @param examples the prompts and reference answers
     * @param maxNewTokens the longest answer
     * @param batchSize prompts decoded together
     * @return the accuracy
     */
    public static AnswerAccuracy evaluate(
            Teacher teacher, List<PromptExample> examples, int maxNewTokens, int batchSize) {
        long start = System.nanoTime();
        List<String> predictions = generate(teacher, examples, SamplingConfig.greedy(maxNewTokens), batchSize);
        List<Boolean> correct = new ArrayList<>();
        List<String> slices = new ArrayList<>();
        int right = 0;
        for (int i = 0; i < examples.size(); i++) {
            boolean ok = Answers.finalNumberCorrect(
                    predictions.get(i), examples.get(i).answer());
            correct.add(ok);
            slices.add(examples.get(i).slice());
            right += ok ? 1 : 0;
        }
        return new AnswerAccuracy(
                (double) right / Math.max(1, examples.size()),
                Slices.accuracy(correct, slices),
                predictions,
                correct,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Generates one answer per prompt, in batches, cut at the first end-of-sequence.
     *
     * @param model the model
     * @param tokenizer its tokenizer
     * @param examples the prompts
     * @param sampling how to decode
     * @param batchSize prompts decoded together
     * @return the decoded answers, in order
     */
    public static List<String> generate(
            LanguageModel model,
            Tokenizer tokenizer,
            List<PromptExample> examples,
            SamplingConfig sampling,
            int batchSize) {
        return generate(new LocalTeacher(model, tokenizer), examples, sampling, batchSize);
    }

    /**
     * A teacher's answer to every prompt ({@link Teacher#answers}).
     *
     * @param teacher the teacher
     * @param examples the prompts
     * @param sampling how to decode
     * @param batchSize prompts decoded together
     * @return the decoded answers, in order
     */
    public static List<String> generate(
            Teacher teacher, List<PromptExample> examples, SamplingConfig sampling, int batchSize) {
        return teacher.answers(examples.stream().map(PromptExample::prompt).toList(), sampling, batchSize);
    }

    /**
     * The accuracy over the slices that are not in the head, weighted by their sizes.
     *
     * @param head the head's slice names
     * @return the tail's accuracy, NaN when there is no tail
     */
    public double tailAccuracy(Set<String> head) {
        double right = 0;
        int n = 0;
        for (SliceScore s : slices) {
            if (!head.contains(s.slice())) {
                right += s.value() * s.count();
                n += s.count();
            }
        }
        return n == 0 ? Double.NaN : right / n;
    }
}
