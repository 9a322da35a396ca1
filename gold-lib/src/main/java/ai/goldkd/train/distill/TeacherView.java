package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.goldkd.loss.Divergence;
import ai.goldkd.metrics.Answers;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.report.Charts;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the teacher thinks of an answer, token by token: the view on-policy distillation trains on. For
 * each answer token (end-of-sequence included) it gives the student's and the teacher's probability of
 * that token, the teacher's own first choice, and the divergence between the two next-token
 * distributions at that position (teacher forcing both models on prompt + answer).
 *
 * <pre>{@code
 * List<TeacherView.Sample> seen = TeacherView.sample(student, teacher, tokenizer, prompts, sampling, Divergences.reverseKl());
 * Report.show(TeacherView.summary(seen));                  // one row per sample
 * Report.show(TeacherView.tokens(seen.get(0)));            // one row per token
 * }</pre>
 */
public final class TeacherView {

    private TeacherView() {}

    /**
     * One answer token as both models see it.
     *
     * @param position the token's index in the answer, from 0
     * @param token the token as text ({@code ␣} for a space, {@code ⏎} for a newline, {@code <eos>} for the
     *     end, {@code #id} for a byte that is not a character by itself)
     * @param studentProbability q(token)
     * @param teacherProbability p(token)
     * @param teacherChoice the teacher's most likely token at this position, as text
     * @param teacherChoiceProbability its probability under the teacher
     * @param divergence the divergence between p and q at this position
     */
    public record Token(
            int position,
            String token,
            double studentProbability,
            double teacherProbability,
            String teacherChoice,
            double teacherChoiceProbability,
            double divergence) {}

    /**
     * One answer with the teacher's view of it.
     *
     * @param example the prompt and its reference answer
     * @param answer the answer viewed (a student sample, say)
     * @param correct whether its final number is the reference's
     * @param tokens per answer token
     */
    public record Sample(PromptExample example, String answer, boolean correct, List<Token> tokens) {

        /** The mean divergence over the answer's tokens. */
        public double meanDivergence() {
            return tokens.stream().mapToDouble(Token::divergence).average().orElse(0);
        }

        /** The token where the teacher disagrees most (largest divergence). */
        public Token worst() {
            return tokens.stream()
                    .max(Comparator.comparingDouble(Token::divergence))
                    .orElseThrow();
        }

        /** Labels for a chart, one per token and distinct: {@code "3:'7'"}. */
        public List<String> labels() {
            return tokens.stream().map(t -> t.position() + ":" + t.token()).toList();
        }

        /** The per-token divergences, in order. */
        public double[] divergences() {
            return tokens.stream().mapToDouble(Token::divergence).toArray();
        }
    }

    /**
     * The wrong answer where the teacher disagrees most (the largest divergence at one token), or the
     * first sample when every answer is right.
     *
     * @param samples samples from {@link #sample} or {@link #view}
     * @return the sample
     */
    public static Sample worstWrong(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples; view at least one prompt");
        }
        return samples.stream()
                .filter(s -> !s.correct() && !s.tokens().isEmpty())
                .max(Comparator.comparingDouble(s -> s.worst().divergence()))
                .orElse(samples.get(0));
    }

    /**
     * The divergence at each token of one answer, as bars: where the teacher disagrees.
     *
     * @param sample the answer
     * @param divergence the divergence's name for the title, e.g. {@code "JSD(0.5)"}
     * @return the figure
     */
    public static Figure chart(Sample sample, String divergence) {
        return Charts.bars(
                "Where the teacher disagrees with the student's answer: " + divergence + " per token",
                "answer token (position:text)",
                "divergence (nats)",
                sample.labels(),
                sample.divergences());
    }

    /**
     * The teacher's view of given answers.
     *
     * @param student the student
     * @param teacher the teacher, with the student's vocabulary
     * @param tokenizer the shared tokenizer
     * @param examples the prompts (and references, for correctness)
     * @param answers one answer per example as text, without the end-of-sequence token (it is added)
     * @param divergence the per-token divergence, e.g. the one the run trains with
     * @return one sample per example
     */
    public static List<Sample> view(
            CausalLm student,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> examples,
            List<String> answers,
            Divergence divergence) {
        if (examples.size() != answers.size()) {
            throw new IllegalArgumentException(
                    examples.size() + " examples but " + answers.size() + " answers; give one answer per example");
        }
        checkVocab(student, teacher);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            PromptExample e = examples.get(i);
            String answer = answers.get(i);
            out.add(new Sample(
                    e,
                    answer,
                    Answers.finalNumberCorrect(answer, e.answer()),
                    tokens(
                            student,
                            teacher,
                            tokenizer,
                            DistillationBatches.promptIds(tokenizer, e.prompt()),
                            DistillationBatches.answerIds(tokenizer, answer),
                            divergence)));
        }
        return out;
    }

    /**
     * Samples one answer per prompt from the student, then gives the teacher's view of each: what an
     * on-policy step sees.
     *
     * @param student the student
     * @param teacher the teacher, with the student's vocabulary
     * @param tokenizer the shared tokenizer
     * @param examples the prompts
     * @param sampling how the student samples (GKD: temperature 1)
     * @param divergence the per-token divergence
     * @return one sample per prompt
     */
    public static List<Sample> sample(
            CausalLm student,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> examples,
            SamplingConfig sampling,
            Divergence divergence) {
        checkVocab(student, teacher);
        List<int[]> prompts = new ArrayList<>();
        for (PromptExample e : examples) {
            prompts.add(DistillationBatches.promptIds(tokenizer, e.prompt()));
        }
        // The sampled ids are viewed as they are: decoding and re-encoding bytes is not always lossless.
        List<Generation> generations = new Sampler(student, tokenizer).generateIds(prompts, sampling);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            int[] ids = generations.get(i).tokens();
            int n = ids.length > 0
                            && ids[ids.length - 1] == tokenizer.specials().eos()
                    ? ids.length - 1
                    : ids.length;
            String answer = tokenizer.decode(Arrays.copyOf(ids, n));
            out.add(new Sample(
                    examples.get(i),
                    answer,
                    Answers.finalNumberCorrect(answer, examples.get(i).answer()),
                    tokens(student, teacher, tokenizer, prompts.get(i), ids, divergence)));
        }
        return out;
    }

    private static void checkVocab(CausalLm student, Teacher teacher) {
        if (student.config().vocab() != teacher.vocabSize()) {
            throw new IllegalArgumentException(
                    "student vocab " + student.config().vocab() + " != teacher vocab "
                            + teacher.vocabSize() + "; a per-token view compares next-token distributions, so both"
                            + " models need the same tokenizer");
        }
    }

    /** The per-token view of one answer. */
    private static List<Token> tokens(
            CausalLm student,
            Teacher teacher,
            Tokenizer tokenizer,
            int[] promptIds,
            int[] answerIds,
            Divergence divergence) {
        if (answerIds.length == 0) {
            throw new IllegalArgumentException("an empty answer has no tokens to view; give at least one token");
        }
        int p = promptIds.length;
        int n = answerIds.length;
        long[] ids = new long[p + n];
        for (int i = 0; i < p; i++) {
            ids[i] = promptIds[i];
        }
        for (int i = 0; i < n; i++) {
            ids[p + i] = answerIds[i];
        }
        NDManager owner = student.getParameters().valueAt(0).getArray().getManager();
        List<Token> out = new ArrayList<>(n);
        try (NDManager scope = owner.newSubManager()) {
            NDArray input = scope.create(ids).reshape(1, ids.length); // (1, T)
            NDIndex answerRows = new NDIndex("0, {}:{}", p - 1, p + n - 1);
            NDArray zs = student.logits(new ParameterStore(scope, false), input, null, false)
                    .get(answerRows); // (n, V)
            NDArray zt = teacher.logits(input, null).get(answerRows); // (n, V)
            float[] div = divergence.perToken(zs, zt, 1f).toFloatArray(); // (n)
            NDArray q = zs.softmax(-1); // (n, V)
            NDArray pt = zt.softmax(-1); // (n, V)
            NDArray chosen =
                    scope.create(answerIds).toType(DataType.INT64, false).reshape(n, 1);
            float[] qTok = q.gather(chosen, 1).toFloatArray(); // (n)
            float[] pTok = pt.gather(chosen, 1).toFloatArray(); // (n)
            long[] top = pt.argMax(-1).toLongArray(); // (n)
            float[] pTop = pt.max(new int[] {-1}).toFloatArray(); // (n)
            for (int i = 0; i < n; i++) {
                out.add(new Token(
                        i,
                        text(tokenizer, answerIds[i]),
                        qTok[i],
                        pTok[i],
                        text(tokenizer, (int) top[i]),
                        pTop[i],
                        div[i]));
            }
        }
        return out;
    }

    /** A token as readable text. */
    static String text(Tokenizer tokenizer, int id) {
        if (id == tokenizer.specials().eos()) {
            return "<eos>";
        }
        if (id == tokenizer.specials().bos() || id == tokenizer.specials().pad()) {
            return id == tokenizer.specials().bos() ? "<bos>" : "<pad>";
        }
        String s = tokenizer.decode(new int[] {id});
        if (s.contains("\uFFFD")) {
            return "#" + id; // a byte that is not a character by itself
        }
        return switch (s) {
            case " " -> "␣";
            case "\n" -> "⏎";
            default -> s;
        };
    }

    /**
     * One row per sample: prompt, the answer, whether it is right, the mean divergence, and where the
     * teacher disagrees most.
     *
     * @param samples the samples
     * @return the table
     */
    public static Table summary(List<Sample> samples) {
        return Table.create(
                "The student's answers as the teacher sees them",
                StringColumn.create(
                        "problem",
                        samples.stream().map(s -> s.example().prompt().strip()).toList()),
                StringColumn.create(
                        "student's answer", samples.stream().map(Sample::answer).toList()),
                BooleanColumn.create(
                        "correct", samples.stream().map(Sample::correct).toList()),
                DoubleColumn.create(
                        "mean divergence (nats/token)", samples.stream().mapToDouble(s -> round(s.meanDivergence()))),
                StringColumn.create(
                        "teacher disagrees most at",
                        samples.stream()
                                .map(s -> {
                                    Token w = s.worst();
                                    return "token " + w.position() + " '" + w.token() + "': teacher prefers '"
                                            + w.teacherChoice() + "' (" + Math.round(100 * w.teacherChoiceProbability())
                                            + "%)";
                                })
                                .toList()));
    }

    /**
     * One row per token of one sample.
     *
     * @param sample the sample
     * @return the table
     */
    public static Table tokens(Sample sample) {
        List<Token> t = sample.tokens();
        return Table.create(
                "Token by token: " + sample.answer(),
                IntColumn.create(
                        "position", t.stream().mapToInt(Token::position).toArray()),
                StringColumn.create("token", t.stream().map(Token::token).toList()),
                DoubleColumn.create("student q(token)", t.stream().mapToDouble(x -> round(x.studentProbability()))),
                DoubleColumn.create("teacher p(token)", t.stream().mapToDouble(x -> round(x.teacherProbability()))),
                StringColumn.create(
                        "teacher's choice", t.stream().map(Token::teacherChoice).toList()),
                DoubleColumn.create("p(choice)", t.stream().mapToDouble(x -> round(x.teacherChoiceProbability()))),
                DoubleColumn.create("divergence (nats)", t.stream().mapToDouble(x -> round(x.divergence()))));
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
