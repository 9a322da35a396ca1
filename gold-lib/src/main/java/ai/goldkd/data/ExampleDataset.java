package ai.goldkd.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

import java.util.List;

/**
 * A list of {@link Example}s as a DJL {@link RandomAccessDataset}, so DJL's samplers, batchifiers and
 * {@code Trainer} can iterate it. An {@link Encoder} turns one example into tensors.
 *
 * <pre>{@code
 * ExampleDataset data = ExampleDataset.builder()
 *         .setExamples(imdb.subset(Split.TRAIN, 200))
 *         .setEncoder(Encoders.classification(tokenizer::encode, 0, "text", "label", ImdbReviews.LABELS,
 *                 128))
 *         .setSampling(32, true)
 *         .build();
 * for (Batch batch : data.getData(manager)) { try (batch) { ... } }
 * }</pre>
 */
public final class ExampleDataset extends RandomAccessDataset {

    /** Turns an example into a DJL record (data and labels), creating its arrays on the given manager. */
    @FunctionalInterface
    public interface Encoder {
        /**
         * Encodes one example.
         *
         * @param manager where the arrays live
         * @param example the example
         * @return its data and labels
         */
        Record encode(NDManager manager, Example example);
    }

    private final List<Example> examples;
    private final Encoder encoder;

    private ExampleDataset(Builder builder) {
        super(builder);
        this.examples = builder.examples;
        this.encoder = builder.encoder;
    }

    /** Starts a builder: {@code setExamples}, {@code setEncoder} and {@code setSampling} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The examples, in index order. */
    public List<Example> examples() {
        return examples;
    }

    @Override
    public Record get(NDManager manager, long index) {
        return encoder.encode(manager, examples.get(Math.toIntExact(index)));
    }

    @Override
    protected long availableSize() {
        return examples.size();
    }

    @Override
    public void prepare(Progress progress) {
        // The examples are in memory already.
    }

    /** Builds an {@link ExampleDataset}. */
    public static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {

        private List<Example> examples;
        private Encoder encoder;

        private Builder() {}

        /**
         * Sets the examples (required).
         *
         * @param examples at least one
         * @return this builder
         */
        public Builder setExamples(List<Example> examples) {
            this.examples = List.copyOf(examples);
            return this;
        }

        /**
         * Sets how an example becomes tensors (required); see {@link Encoders}.
         *
         * @param encoder the encoder
         * @return this builder
         */
        public Builder setEncoder(Encoder encoder) {
            this.encoder = encoder;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset
         */
        public ExampleDataset build() {
            if (examples == null || examples.isEmpty()) {
                throw new IllegalArgumentException("no examples; call setExamples with at least one");
            }
            if (encoder == null) {
                throw new IllegalArgumentException("no encoder; call setEncoder, e.g. with Encoders.classification");
            }
            if (sampler == null) {
                throw new IllegalArgumentException("no sampler; call setSampling(batchSize, shuffle)");
            }
            return new ExampleDataset(this);
        }
    }
}
