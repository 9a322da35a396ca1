package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.TokenAlignment;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labels of a cross-tokenizer batch ({@link DistillationConfig#crossTokenizer()} not off): each
 * sequence's output is decoded with the student's tokenizer, the teacher reads its prompt and that text
 * with its own tokenizer, and both sides keep where their output rows start, the output's tokens and
 * where each token ends in the text ({@link TokenAlignment#endOffsets}). End-of-sequence and padding are
 * left out of the alignment: they have no text.
 *
 * <p>DJL form: {@code [targets (B, T_s), teacher logits (B, T_t, V_t), student (B, 2 + 2 L_s),
 * teacher (B, 2 + 2 L_t)]}, each side's row {@code [start, length, tokens..., ends...]} (padded with 0):
 * logits row {@code start + m} predicts output token m.
 *
 * @param targets (B, T_s) the student's targets (for the token count)
 * @param teacherLogits (B, T_t, V_t) the teacher's logits on its own tokenization, constants
 * @param student (B, 2 + 2 L_s) the student's layout
 * @param teacher (B, 2 + 2 L_t) the teacher's layout
 */
public record CrossTokenizerLabels(NDArray targets, NDArray teacherLogits, NDArray student, NDArray teacher) {

    /** One sequence's side: output rows from {@code start}, its tokens and their end offsets. */
    public record Side(int start, int[] tokens, int[] ends) {}

    /** The DJL form. */
    public NDList toNDList() {
        return new NDList(targets, teacherLogits, student, teacher);
    }

    /**
     * Reads the DJL form back.
     *
     * @param labels as {@link #toNDList()} wrote them
     * @return the labels
     */
    public static CrossTokenizerLabels from(NDList labels) {
        if (labels.size() != 4) {
            throw new IllegalArgumentException("cross-tokenizer labels hold 4 arrays (targets, teacher logits, student"
                    + " and teacher layouts), got " + labels.size() + "; make them with CrossTokenizerLabels.batch");
        }
        return new CrossTokenizerLabels(labels.get(0), labels.get(1), labels.get(2), labels.get(3));
    }

    /** The student's side of sequence b. */
    public static List<Side> sides(NDArray layout) {
        long[] v = layout.toType(DataType.INT64, false).toLongArray();
        int b = (int) layout.getShape().get(0);
        int width = (int) layout.getShape().get(1);
        int max = (width - 2) / 2;
        List<Side> out = new ArrayList<>();
        for (int row = 0; row < b; row++) {
            int at = row * width;
            int len = (int) v[at + 1];
            int[] tokens = new int[len];
            int[] ends = new int[len];
            for (int m = 0; m < len; m++) {
                tokens[m] = (int) v[at + 2 + m];
                ends[m] = (int) v[at + 2 + max + m];
            }
            out.add(new Side((int) v[at], tokens, ends));
        }
        return out;
    }

    /**
     * A cross-tokenizer batch from the student's sequences.
     *
     * @param manager where the arrays go
     * @param batch the student's batch ({@link SequenceBatches#batchOf})
     * @param sequences its sequences, in the student's ids
     * @param prompts each sequence's prompt text
     * @param studentTokenizer the student's tokenizer
     * @param teacher the teacher, with its own tokenizer
     * @return the batch with cross-tokenizer labels
     */
    public static TrainBatch batch(
            NDManager manager,
            TrainBatch batch,
            List<SequenceExample> sequences,
            List<String> prompts,
            Tokenizer studentTokenizer,
            Teacher teacher) {
        Tokenizer teacherTokenizer = teacher.tokenizer();
        List<Side> students = new ArrayList<>();
        List<Side> teachers = new ArrayList<>();
        List<SequenceExample> teacherSequences = new ArrayList<>();
        for (int b = 0; b < sequences.size(); b++) {
            SequenceExample e = sequences.get(b);
            int[] output = content(Arrays.copyOfRange(e.ids(), e.targetStart(), e.ids().length), studentTokenizer);
            String text = studentTokenizer.decode(output);
            int[] teacherOutput =
                    text.isEmpty() ? new int[0] : content(teacherTokenizer.encode(text), teacherTokenizer);
            int[] teacherPrompt = DistillationBatches.promptIds(teacherTokenizer, prompts.get(b));
            students.add(
                    new Side(e.targetStart() - 1, output, TokenAlignment.endOffsets(studentTokenizer::decode, output)));
            teachers.add(new Side(
                    teacherPrompt.length - 1,
                    teacherOutput,
                    TokenAlignment.endOffsets(teacherTokenizer::decode, teacherOutput)));
            int[] answer = Arrays.copyOf(teacherOutput, teacherOutput.length + 1);
            answer[teacherOutput.length] = teacherTokenizer.specials().eos();
            teacherSequences.add(SequenceExample.promptAnswer(teacherPrompt, answer));
        }
        NDList teacherData = SequenceBatches.batchOf(
                        manager, teacherSequences, teacherTokenizer.specials().pad())
                .data();
        NDArray logits = teacher.logits(teacherData.get(0), TrainBatch.maskOf(teacherData))
                .stopGradient();
        CrossTokenizerLabels labels = new CrossTokenizerLabels(
                batch.labels().get(0), logits, layout(manager, students), layout(manager, teachers));
        return new TrainBatch(batch.data(), labels.toNDList(), batch.tokens());
    }

    /** The tokens up to the first end-of-sequence, padding and BOS left out. */
    private static int[] content(int[] ids, Tokenizer tokenizer) {
        int eos = tokenizer.specials().eos();
        int pad = tokenizer.specials().pad();
        int bos = tokenizer.specials().bos();
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            if (id == eos) {
                break;
            }
            if (id != pad && id != bos) {
                out.add(id);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static NDArray layout(NDManager manager, List<Side> sides) {
        int max = Math.max(
                1, sides.stream().mapToInt(s -> s.tokens().length).max().orElse(1));
        int width = 2 + 2 * max;
        long[] v = new long[sides.size() * width];
        for (int b = 0; b < sides.size(); b++) {
            Side s = sides.get(b);
            int at = b * width;
            v[at] = s.start();
            v[at + 1] = s.tokens().length;
            for (int m = 0; m < s.tokens().length; m++) {
                v[at + 2 + m] = s.tokens()[m];
                v[at + 2 + max + m] = s.ends()[m];
            }
        }
        return manager.create(v, new Shape(sides.size(), width));
    }
}
