package ai.goldkd.offline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The built offline teacher: a vocabulary, latent topics, and interpolated trigram models, one per label
 * and one per (label, topic). Both offline teachers read it: {@link LatentTopicTeacher} writes from a
 * (label, topic) model, {@link CacheTrigramTeacher} from a label's model.
 *
 * <p>The probability of word w after words u v, for label l and topic t, is absolute-discount
 * interpolation down a chain of five orders, each backing off to the next:
 * <pre>
 *   P_lt(w | u v) = (c_lt(u v w) - D)+ / c_lt(u v .) + D N_lt(u v .) / c_lt(u v .) * P_lt(w | v)
 *   P_lt(w | v)   = (c_lt(v w) - D)+   / c_lt(v .)   + D N_lt(v .)   / c_lt(v .)   * P_l(w | u v)
 *   P_l(w | u v)  = the same over the label's counts, then P_l(w | v), then P_l(w) = (c_l(w) + 1) / (N_l + V)
 * </pre>
 * where c counts, N counts distinct continuations and an unseen context passes all its weight down.
 * So a topic model speaks in the topic's own word sequences where it has them and in its label's
 * where it has none. Each topic also stores its words' lifts ({@link #lift}), which the latent-topic
 * teacher uses to lean its word choice towards the topic.
 */
public final class TopicNgramModel {

    /** The largest lift a word gets in a topic. */
    static final double LIFT_CAP = 20;

    private final TeacherRecipe recipe;
    private final List<String> labels;
    private final Vocabulary vocab;
    private final TopicModel topics;
    private final NgramTable[] labelTri;
    private final NgramTable[] labelBi;
    private final float[][] labelUni;
    private final NgramTable[][] topicTri; // [label][topic]
    private final NgramTable[][] topicBi;
    private final float[][] lift; // [topic][word]

    private TopicNgramModel(
            TeacherRecipe recipe,
            List<String> labels,
            Vocabulary vocab,
            TopicModel topics,
            NgramTable[] labelTri,
            NgramTable[] labelBi,
            float[][] labelUni,
            NgramTable[][] topicTri,
            NgramTable[][] topicBi,
            float[][] lift) {
        this.recipe = recipe;
        this.lift = lift;
        this.labels = List.copyOf(labels);
        this.vocab = vocab;
        this.topics = topics;
        this.labelTri = labelTri;
        this.labelBi = labelBi;
        this.labelUni = labelUni;
        this.topicTri = topicTri;
        this.topicBi = topicBi;
    }

    /**
     * Builds the model from labelled texts.
     *
     * @param texts the training texts
     * @param textLabels each text's label, one of {@code labels}
     * @param labels the label names, in the order the model numbers them
     * @param recipe the settings
     * @return the model
     */
    public static TopicNgramModel build(
            List<String> texts, List<String> textLabels, List<String> labels, TeacherRecipe recipe) {
        if (texts.size() != textLabels.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + textLabels.size() + " labels");
        }
        if (labels.size() < 1) {
            throw new IllegalArgumentException("no label names; give e.g. [negative, positive]");
        }
        List<List<String>> tokens = new ArrayList<>(texts.size());
        int[] labelOf = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            tokens.add(ReviewText.tokens(texts.get(i)));
            labelOf[i] = labels.indexOf(textLabels.get(i));
            if (labelOf[i] < 0) {
                throw new IllegalArgumentException(
                        "text " + i + " has label '" + textLabels.get(i) + "', not one of " + labels);
            }
        }
        Vocabulary vocab = Vocabulary.of(tokens, recipe.vocabMinCount());
        if (vocab.size() >= NgramTable.MAX_IDS) {
            throw new IllegalArgumentException("vocabulary of " + vocab.size() + " words exceeds " + NgramTable.MAX_IDS
                    + "; raise vocabMinCount (now " + recipe.vocabMinCount() + ")");
        }
        TopicModel topicModel = TopicModel.fit(
                tokens,
                recipe.topics(),
                recipe.topicMinDf(),
                recipe.topicMaxDfShare(),
                recipe.kmeansIterations(),
                recipe.seed());
        int k = topicModel.size();
        int nLabels = labels.size();
        int[] topicOf = new int[texts.size()];
        int[][] docs = new int[texts.size()][];
        long[] labelTokens = new long[nLabels];
        long[][] cellTokens = new long[nLabels][k];
        for (int i = 0; i < texts.size(); i++) {
            topicOf[i] = topicModel.topic(tokens.get(i));
            docs[i] = vocab.document(tokens.get(i));
            labelTokens[labelOf[i]] += docs[i].length - 2;
            cellTokens[labelOf[i]][topicOf[i]] += docs[i].length - 2;
        }
        NgramTable[] labelTri = new NgramTable[nLabels];
        NgramTable[] labelBi = new NgramTable[nLabels];
        float[][] labelUni = new float[nLabels][];
        NgramTable[][] topicTri = new NgramTable[nLabels][k];
        NgramTable[][] topicBi = new NgramTable[nLabels][k];
        for (int l = 0; l < nLabels; l++) {
            final int label = l;
            labelTri[l] = table(docs, i -> labelOf[i] == label, labelTokens[l], 3, recipe);
            labelBi[l] = table(docs, i -> labelOf[i] == label, labelTokens[l], 2, recipe);
            labelUni[l] = unigram(docs, labelOf, l, vocab.size());
            for (int t = 0; t < k; t++) {
                final int topic = t;
                topicTri[l][t] =
                        table(docs, i -> labelOf[i] == label && topicOf[i] == topic, cellTokens[l][t], 3, recipe);
                topicBi[l][t] =
                        table(docs, i -> labelOf[i] == label && topicOf[i] == topic, cellTokens[l][t], 2, recipe);
            }
        }
        return new TopicNgramModel(
                recipe,
                labels,
                vocab,
                topicModel,
                labelTri,
                labelBi,
                labelUni,
                topicTri,
                topicBi,
                lift(docs, topicOf, k, vocab.size()));
    }

    /**
     * Each topic's lift of each word: {@code min(LIFT_CAP, p_t(w) / p(w))}, with the topic's unigram
     * Dirichlet-smoothed towards the corpus's, {@code p_t(w) = (c_t(w) + mu p(w)) / (N_t + mu)}, mu 2000.
     */
    private static float[][] lift(int[][] docs, int[] topicOf, int k, int vocabSize) {
        double[][] counts = new double[k][vocabSize];
        double[] all = new double[vocabSize];
        double[] sizes = new double[k];
        double total = 0;
        for (int i = 0; i < docs.length; i++) {
            for (int j = 2; j < docs[i].length; j++) {
                counts[topicOf[i]][docs[i][j]]++;
                all[docs[i][j]]++;
                sizes[topicOf[i]]++;
                total++;
            }
        }
        double mu = 2000;
        float[][] lift = new float[k][vocabSize];
        for (int t = 0; t < k; t++) {
            for (int w = 0; w < vocabSize; w++) {
                double p = (all[w] + 0.5) / (total + 0.5 * vocabSize);
                double pt = (counts[t][w] + mu * p) / (sizes[t] + mu);
                lift[t][w] = (float) Math.min(LIFT_CAP, pt / p);
            }
        }
        return lift;
    }

    private static NgramTable table(int[][] docs, IntPredicate use, long tokens, int order, TeacherRecipe recipe) {
        if (tokens > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(tokens + " tokens for one model; train on fewer texts");
        }
        long[] keys = new long[(int) tokens];
        int n = 0;
        for (int i = 0; i < docs.length; i++) {
            if (!use.test(i)) {
                continue;
            }
            int[] d = docs[i];
            for (int j = 2; j < d.length; j++) {
                long context = order == 3 ? NgramTable.pair(d[j - 2], d[j - 1]) : d[j - 1];
                keys[n++] = (context << NgramTable.BITS) | d[j];
            }
        }
        return NgramTable.count(keys, n, order == 3 ? recipe.trigramMinCount() : 1, recipe.maxContinuations());
    }

    private static float[] unigram(int[][] docs, int[] labelOf, int label, int vocabSize) {
        double[] counts = new double[vocabSize];
        double total = 0;
        for (int i = 0; i < docs.length; i++) {
            if (labelOf[i] == label) {
                for (int j = 2; j < docs[i].length; j++) {
                    counts[docs[i][j]]++;
                    total++;
                }
            }
        }
        float[] p = new float[vocabSize];
        for (int w = 0; w < vocabSize; w++) {
            p[w] = (float) ((counts[w] + 1) / (total + vocabSize));
        }
        return p;
    }

    /**
     * Fills a step's candidates with a label's (topic < 0) or a (label, topic) model's distribution.
     *
     * @param step the candidates, reset by the caller
     * @param label the label index
     * @param topic the topic, or -1 for the label's model
     * @param u the word two back
     * @param v the previous word
     * @param weight the share of the step's mass this model gets
     */
    void fill(StepSampler step, int label, int topic, int u, int v, double weight) {
        double d = recipe.discount();
        long pair = NgramTable.pair(u, v);
        double w = weight;
        if (topic >= 0) {
            w = topicTri[label][topic].add(step, pair, w, d);
            w = topicBi[label][topic].add(step, v, w, d);
        }
        w = labelTri[label].add(step, pair, w, d);
        w = labelBi[label].add(step, v, w, d);
        step.addToCandidates(labelUni[label], w);
    }

    /**
     * A topic's lift of every word: how much more often the topic's reviews use it than all reviews do,
     * capped at {@value #LIFT_CAP} (see {@link LatentTopicConfig#topicEmphasis()}).
     *
     * @param topic the topic
     * @return the lifts by word id; do not modify
     */
    float[] lift(int topic) {
        return lift[topic];
    }

    /** The recipe it was built by. */
    public TeacherRecipe recipe() {
        return recipe;
    }

    /** The label names. */
    public List<String> labels() {
        return labels;
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocab;
    }

    /** The latent topics. */
    public TopicModel topics() {
        return topics;
    }

    /** How many continuations the tables store, for reports. */
    public long entries() {
        long n = 0;
        for (int l = 0; l < labels.size(); l++) {
            n += labelTri[l].entries() + labelBi[l].entries();
            for (int t = 0; t < topics.size(); t++) {
                n += topicTri[l][t].entries() + topicBi[l][t].entries();
            }
        }
        return n;
    }

    /**
     * Writes the model into one binary file.
     *
     * @param file the file to write
     */
    public void save(Path file) {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeUTF("gold-topic-ngram");
            out.writeInt(TeacherRecipe.VERSION);
            out.writeUTF(recipe.canonical());
            out.writeInt(labels.size());
            for (String l : labels) {
                out.writeUTF(l);
            }
            out.writeInt(vocab.words().size());
            for (String w : vocab.words()) {
                out.writeUTF(w);
            }
            topics.write(out);
            for (int l = 0; l < labels.size(); l++) {
                labelTri[l].write(out);
                labelBi[l].write(out);
                for (float p : labelUni[l]) {
                    out.writeFloat(p);
                }
                for (int t = 0; t < topics.size(); t++) {
                    topicTri[l][t].write(out);
                    topicBi[l][t].write(out);
                }
            }
            for (float[] row : lift) {
                for (float x : row) {
                    out.writeFloat(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the teacher model to " + file, e);
        }
    }

    /**
     * Reads a model that {@link #save} wrote.
     *
     * @param file the file
     * @param recipe the recipe it must have been built by
     * @return the model
     * @throws IllegalStateException when the file is damaged or holds another recipe, naming the fix
     */
    public static TopicNgramModel load(Path file, TeacherRecipe recipe) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (!in.readUTF().equals("gold-topic-ngram") || in.readInt() != TeacherRecipe.VERSION) {
                throw new IOException("not a teacher model of version " + TeacherRecipe.VERSION);
            }
            String canonical = in.readUTF();
            if (!canonical.equals(recipe.canonical())) {
                throw new IOException("built by recipe '" + canonical + "', expected '" + recipe.canonical() + "'");
            }
            int nLabels = in.readInt();
            List<String> labels = new ArrayList<>();
            for (int l = 0; l < nLabels; l++) {
                labels.add(in.readUTF());
            }
            int nWords = in.readInt();
            List<String> words = new ArrayList<>(nWords);
            for (int i = 0; i < nWords; i++) {
                words.add(in.readUTF());
            }
            Vocabulary vocab = new Vocabulary(words);
            TopicModel topics = TopicModel.read(in);
            int k = topics.size();
            NgramTable[] labelTri = new NgramTable[nLabels];
            NgramTable[] labelBi = new NgramTable[nLabels];
            float[][] labelUni = new float[nLabels][vocab.size()];
            NgramTable[][] topicTri = new NgramTable[nLabels][k];
            NgramTable[][] topicBi = new NgramTable[nLabels][k];
            for (int l = 0; l < nLabels; l++) {
                labelTri[l] = NgramTable.read(in);
                labelBi[l] = NgramTable.read(in);
                for (int w = 0; w < vocab.size(); w++) {
                    labelUni[l][w] = in.readFloat();
                }
                for (int t = 0; t < k; t++) {
                    topicTri[l][t] = NgramTable.read(in);
                    topicBi[l][t] = NgramTable.read(in);
                }
            }
            float[][] lift = new float[k][vocab.size()];
            for (int t = 0; t < k; t++) {
                for (int w = 0; w < vocab.size(); w++) {
                    lift[t][w] = in.readFloat();
                }
            }
            return new TopicNgramModel(
                    recipe, labels, vocab, topics, labelTri, labelBi, labelUni, topicTri, topicBi, lift);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot read the teacher model " + file + " (" + e.getMessage() + "); delete " + file.getParent()
                            + " and build again with `gold teacher build imdb`",
                    e);
        }
    }
}
