package ai.goldkd.offline;

import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.TokenLogprob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes one review word by word from a next-word distribution, as both offline teachers do.
 *
 * <p>Length: the sample draws a target length uniformly in [{@value #TARGET_MIN}, {@value #TARGET_MAX}]
 * characters and ends at the first sentence end ({@code . ! ?}) past it, or earlier where the model
 * itself ends the review (allowed after a sentence end from {@value #MIN_CHARS} characters on). A mark
 * never starts a review nor follows another mark. A text about to pass
 * {@value #MAX_CHARS} characters is cut back to its last sentence end. The review is followed by a line
 * break, so a stop sequence {@code "\n"} cuts it; a forced end carries log-probability 0.
 *
 * <p>Tokens are words and marks, and the final line break; {@code maxTokens} counts them all. Stop
 * sequences cut the text before their first occurrence (finish reason {@code stop}); a sample that runs
 * out of tokens first ends with reason {@code length}.
 */
final class SampleWriter {

    /** The fewest characters before the model may end a review. */
    static final int MIN_CHARS = 20;
    /** The most characters of a review, its line break included. */
    static final int MAX_CHARS = 600;
    /** The least target length. */
    static final int TARGET_MIN = 100;
    /** The largest target length. */
    static final int TARGET_MAX = 450;

    /** A next-word distribution: fills a reset step with the candidates after words u v. */
    interface NextWord {
        void fill(StepSampler step, int u, int v);
    }

    private SampleWriter() {}

    /**
     * Writes one sample.
     *
     * @param model the next-word distribution
     * @param vocab the vocabulary
     * @param request sampling settings
     * @param rng the sample's random source
     * @param step scratch space
     * @return the completion, with word ids as tokens
     */
    static Completion write(
            NextWord model, Vocabulary vocab, GenerationRequest request, SplittableRandom rng, StepSampler step) {
        int target = TARGET_MIN + rng.nextInt(TARGET_MAX - TARGET_MIN + 1);
        StringBuilder text = new StringBuilder();
        int[] ids = new int[Math.min(request.maxTokens(), 256)];
        float[] logprobs = new float[ids.length];
        int[] ends = new int[ids.length]; // text length after each token
        List<List<TokenLogprob>> top = request.topLogprobs() > 0 ? new ArrayList<>() : null;
        int n = 0;
        int lastSentenceEnd = -1; // tokens up to and including this index end a sentence
        int u = Vocabulary.BOS;
        int v = Vocabulary.BOS;
        boolean ended = false;
        boolean sentenceStart = true;
        while (n < request.maxTokens()) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                logprobs = Arrays.copyOf(logprobs, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            boolean atSentenceEnd = n > 0 && ReviewText.endsSentence(vocab.word(ids[n - 1]));
            boolean allowEnd = atSentenceEnd && text.length() >= MIN_CHARS;
            boolean allowMark = n > 0 && !ReviewText.isMark(vocab.word(ids[n - 1]));
            int word;
            float logprob = 0f;
            if (atSentenceEnd && text.length() >= target) {
                word = Vocabulary.EOS;
                if (top != null) {
                    top.add(List.of(new TokenLogprob("\n", 0f)));
                }
            } else {
                step.reset();
                model.fill(step, u, v);
                word = step.draw(rng, request.temperature(), request.topK(), request.topP(), allowEnd, allowMark);
                if (word < 0) {
                    word = Vocabulary.EOS;
                } else {
                    logprob = (float) step.lastLogprob();
                }
                if (top != null) {
                    top.add(step.top(request.topLogprobs(), allowEnd, allowMark, vocab::word));
                }
            }
            if (word != Vocabulary.EOS) {
                String token = vocab.word(word);
                if (text.length() + ReviewText.appendedLength(text.length(), token) + 1 > MAX_CHARS) {
                    if (lastSentenceEnd >= 0 && ends[lastSentenceEnd] >= MIN_CHARS) {
                        n = lastSentenceEnd + 1;
                        text.setLength(ends[lastSentenceEnd]);
                    }
                    word = Vocabulary.EOS;
                    logprob = 0f;
                    if (top != null) {
                        top.subList(n, top.size()).clear();
                        top.add(List.of(new TokenLogprob("\n", 0f)));
                    }
                } else {
                    ReviewText.appendToken(text, token, sentenceStart);
                    sentenceStart = ReviewText.endsSentence(token);
                    if (sentenceStart) {
                        lastSentenceEnd = n;
                    }
                }
            }
            if (word == Vocabulary.EOS) {
                text.append('\n');
                ended = true;
            }
            ids[n] = word;
            logprobs[n] = logprob;
            ends[n] = text.length();
            n++;
            if (ended) {
                break;
            }
            u = v;
            v = word;
        }
        int cut = request.stopAt(text);
        String finish = ended || cut < text.length() ? "stop" : "length";
        int kept = n;
        if (cut < text.length()) {
            kept = 0;
            while (kept < n && ends[kept] <= cut) {
                kept++;
            }
            text.setLength(cut);
        }
        return new Completion(
                text.toString(),
                Arrays.copyOf(ids, kept),
                request.logprobs() ? Arrays.copyOf(logprobs, kept) : null,
                top == null ? null : new ArrayList<>(top.subList(0, Math.min(kept, top.size()))),
                finish);
    }
}
