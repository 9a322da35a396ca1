package ai.goldkd.data;

import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Record;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Ready-made {@link ExampleDataset.Encoder}s. */
public final class Encoders {

    private Encoders() {}

    /**
     * Token ids of one text field, cut or padded to a fixed length, and the label's index: data
     * {@code (length)} int32, label {@code ()} int32. Batched by DJL's stack batchifier to
     * {@code (B, length)} and {@code (B)}.
     *
     * @param tokenize text to ids, such as {@code tokenizer::encode}
     * @param padId the id that fills short sequences
     * @param textField the field to tokenize, such as {@code text}
     * @param labelField the field that holds the label, such as {@code label}
     * @param labels the label names; a label's index is its position
     * @param length the fixed sequence length
     * @return the encoder
     */
    public static ExampleDataset.Encoder classification(
            Function<String, int[]> tokenize,
            int padId,
            String textField,
            String labelField,
            List<String> labels,
            int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("sequence length " + length + " must be positive");
        }
        List<String> names = List.copyOf(labels);
        return (manager, example) -> {
            int label = names.indexOf(example.get(labelField));
            if (label < 0) {
                throw new IllegalArgumentException("example " + example.id() + " has label '" + example.get(labelField)
                        + "', not one of " + names);
            }
            int[] ids = tokenize.apply(example.get(textField));
            int[] fixed = Arrays.copyOf(ids, length);
            if (ids.length < length) {
                Arrays.fill(fixed, ids.length, length, padId);
            }
            return new Record(new NDList(manager.create(fixed)), new NDList(manager.create(label)));
        };
    }
}
