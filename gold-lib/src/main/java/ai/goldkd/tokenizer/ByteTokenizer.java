package ai.goldkd.tokenizer;

import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The UTF-8 bytes of the text as ids {@code 0..255}, then {@link #PAD} 256, {@link #BOS} 257 and
 * {@link #EOS} 258: a vocabulary of {@value #VOCAB} that needs no training and never meets an unknown
 * character. Decoding replaces an invalid byte sequence (a model's half of a character) with U+FFFD
 * instead of failing. Immutable; obtain it from {@link Tokenizers#bytes()}.
 */
public final class ByteTokenizer implements Tokenizer {

    /** The padding id. */
    public static final int PAD = 256;
    /** The beginning-of-sequence id. */
    public static final int BOS = 257;
    /** The end-of-sequence id. */
    public static final int EOS = 258;
    /** The vocabulary size: 256 byte values and 3 special tokens. */
    public static final int VOCAB = 259;

    private static final ByteTokenizer INSTANCE = new ByteTokenizer();
    private static final SpecialTokens SPECIALS = new SpecialTokens(PAD, BOS, EOS);

    private ByteTokenizer() {}

    /** Returns the byte tokenizer (it has no state, so there is one). */
    public static ByteTokenizer create() {
        return INSTANCE;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            Tokenizers.checkId(id, VOCAB);
            if (id < 256) {
                bytes.write(id);
            }
        }
        // new String(..., UTF_8) substitutes U+FFFD for malformed input rather than throwing.
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public SpecialTokens specials() {
        return SPECIALS;
    }

    @Override
    public void save(Path dir) {
        TokenizerMeta.of(TokenizerMeta.Kind.BYTES, this, new JsonObject()).write(dir);
    }

    @Override
    public String toString() {
        return "ByteTokenizer[vocab=" + VOCAB + "]";
    }
}
