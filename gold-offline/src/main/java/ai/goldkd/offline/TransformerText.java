package ai.goldkd.offline;

import ai.goldkd.model.Generation;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.tokenizer.WordTokenizer;

import java.util.Arrays;

/**
 * How {@link TransformerTeacher} turns the model's tokens into a sample: no mark first, capitals at
 * sentence starts, cut back to a sentence end within the token and character limits, a line break at the
 * end, then the request's stop sequences.
 */
final class TransformerText {

    /** The most characters of a sample, its line break included (the imdb-sentiment task's limit). */
    static final int MAX_CHARS = 600;
    /** The fewest characters of a sample: a cut never goes below it. */
    static final int MIN_CHARS = 20;

    private TransformerText() {}

    /**
     * Turns a generation into a sample.
     *
     * @param g the generation, its tokens after the label token
     * @param request the request (stop sequences, whether log-probabilities are wanted)
     * @param tokenizer the word vocabulary
     * @return the completion
     */
    static Completion completion(Generation g, GenerationRequest request, WordTokenizer tokenizer) {
        int eos = tokenizer.specials().eos();
        int first = 0; // a review never starts with a mark (the n-gram teachers' rule)
        while (first < g.tokens().length && g.tokens()[first] != eos && isMark(g.tokens()[first], tokenizer)) {
            first++;
        }
        int[] tokens = Arrays.copyOfRange(g.tokens(), first, g.tokens().length);
        float[] generated = Arrays.copyOfRange(g.logprobs(), first, g.logprobs().length);
        int words = tokens.length > 0 && tokens[tokens.length - 1] == eos ? tokens.length - 1 : tokens.length;
        // Longest prefix of whole sentences within the limits when the model did not end in time.
        int keep = words;
        boolean ended = words < tokens.length;
        if (!ended || offset(tokens, words, tokenizer) + 1 > MAX_CHARS) {
            int cut = -1;
            for (int t = words; t >= 1; t--) {
                if (TransformerTraining.endsSentence(tokenizer, tokens[t - 1])
                        && offset(tokens, t, tokenizer) + 1 <= MAX_CHARS
                        && offset(tokens, t, tokenizer) >= MIN_CHARS) {
                    cut = t;
                    break;
                }
            }
            if (cut > 0) {
                keep = cut;
                ended = true;
            } else if (offset(tokens, words, tokenizer) + 1 > MAX_CHARS) {
                while (keep > 0 && offset(tokens, keep, tokenizer) + 1 > MAX_CHARS) {
                    keep--;
                }
                ended = true;
            }
        }
        int[] ids = Arrays.copyOf(tokens, keep + (ended ? 1 : 0));
        float[] logprobs = Arrays.copyOf(generated, ids.length);
        if (ended) {
            ids[keep] = eos;
            if (keep >= tokens.length || tokens[keep] != eos) {
                logprobs[keep] = 0f; // an end the model did not choose
            }
        }
        String text = capitalise(tokenizer.decode(Arrays.copyOf(ids, keep))) + (ended ? "\n" : "");
        int cut = request.stopAt(text);
        String finish = ended || cut < text.length() ? "stop" : "length";
        if (cut < text.length()) {
            int kept = 0;
            while (kept < ids.length && textOffset(ids, kept + 1, tokenizer) <= cut) {
                kept++;
            }
            ids = Arrays.copyOf(ids, kept);
            logprobs = Arrays.copyOf(logprobs, kept);
            text = text.substring(0, cut);
        }
        return new Completion(text, ids, request.logprobs() ? logprobs : null, null, finish);
    }

    private static boolean isMark(int id, WordTokenizer tokenizer) {
        return id < tokenizer.vocabSize()
                && ReviewText.isMark(tokenizer.vocabulary().get(id));
    }

    /** The length of the text of the first {@code t} tokens (none an end token). */
    static int offset(int[] tokens, int t, WordTokenizer tokenizer) {
        return tokenizer.decode(Arrays.copyOf(tokens, t)).length();
    }

    /**
     * Capital letters at the start of the text and of each sentence, and on the pronoun "I"; the length
     * stays the same, so token offsets hold.
     *
     * @param text lower-case text
     * @return the text with capitals
     */
    static String capitalise(String text) {
        char[] c = text.toCharArray();
        boolean start = true;
        for (int i = 0; i < c.length; i++) {
            if (Character.isLetterOrDigit(c[i])) {
                boolean wordStart = i == 0 || !Character.isLetterOrDigit(c[i - 1]) && c[i - 1] != '\'';
                boolean pronoun =
                        wordStart && c[i] == 'i' && (i + 1 == c.length || !Character.isLetterOrDigit(c[i + 1]));
                if (start || pronoun) {
                    c[i] = Character.toUpperCase(c[i]);
                }
                start = false;
            } else if (c[i] == '.' || c[i] == '!' || c[i] == '?') {
                start = true;
            }
        }
        return new String(c);
    }

    /**
     * How many characters the first {@code t} tokens of a sample take, its end token as the line break.
     *
     * @param tokens the sample's tokens
     * @param t how many
     * @param tokenizer the word vocabulary
     * @return the text offset
     */
    static int textOffset(int[] tokens, int t, WordTokenizer tokenizer) {
        int end = 0;
        while (end < t && tokens[end] != tokenizer.specials().eos()) {
            end++;
        }
        return offset(tokens, end, tokenizer) + (end < t ? 1 : 0);
    }
}
