package ai.goldkd.model;

import ai.goldkd.tokenizer.SpecialTokens;
import ai.goldkd.tokenizer.Tokenizer;

import java.nio.file.Path;

/** A test fixture: ids 3..28 are the letters a..z; 0, 1, 2 are PAD, BOS, EOS. */
final class LetterTokenizer implements Tokenizer {

    @Override
    public int[] encode(String text) {
        return text.chars().map(c -> c - 'a' + 3).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id >= 3) {
                sb.append((char) ('a' + id - 3));
            }
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return 29;
    }

    @Override
    public SpecialTokens specials() {
        return new SpecialTokens(0, 1, 2);
    }

    @Override
    public void save(Path dir) {
        throw new UnsupportedOperationException("test fixture");
    }
}
