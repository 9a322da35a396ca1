package ai.goldkd.tokenizer;

import com.google.gson.JsonObject;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * GPT-2's byte-level BPE (jtokkit's {@code r50k_base}, whose ranks ship in the jar: no download):
 * ids 0..50255 are BPE tokens, 50256 is {@code <|endoftext|>}, which serves as both BOS and EOS, as in
 * GPT-2 itself.
 *
 * <p><b>PAD is a new id, {@value #PAD}, so the vocabulary is {@value #VOCAB} (GPT-2's 50257 + 1).</b>
 * GPT-2 has no pad token, and the common alternative, pad = {@code <|endoftext|>}, breaks anything that
 * masks padding by id: every real end-of-text would be masked out of the loss too, and a student
 * trained that way never learns to stop. No GPT-2 weights are loaded in this project (students and
 * offline teachers are trained from scratch), so one extra embedding row costs nothing in
 * compatibility; a GPT-2-vocabulary teacher's 50257 logits map onto ids 0..50256 unchanged, and the
 * pad id is never a target. {@link #encode} never produces 50256 or 50257: text that spells
 * {@code <|endoftext|>} is encoded as ordinary text.
 *
 * <p>Immutable and thread-safe; obtain it from {@link Tokenizers#gpt2()}.
 */
public final class Gpt2Tokenizer implements Tokenizer {

    /** The {@code <|endoftext|>} id: BOS and EOS. */
    public static final int END_OF_TEXT = 50256;
    /** The padding id, one past GPT-2's vocabulary (see the class comment for why). */
    public static final int PAD = 50257;
    /** The vocabulary size: GPT-2's 50257 and the pad id. */
    public static final int VOCAB = 50258;

    private static final SpecialTokens SPECIALS = new SpecialTokens(PAD, END_OF_TEXT, END_OF_TEXT);

    /** Loads the ranks once, on first use (about 50k entries read from the jtokkit jar). */
    private static final class Holder {
        static final Gpt2Tokenizer INSTANCE =
                new Gpt2Tokenizer(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE));
    }

    private final Encoding encoding;

    private Gpt2Tokenizer(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Returns the GPT-2 tokenizer. */
    public static Gpt2Tokenizer create() {
        return Holder.INSTANCE;
    }

    @Override
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    @Override
    public String decode(int[] ids) {
        IntArrayList kept = new IntArrayList(ids.length);
        for (int id : ids) {
            Tokenizers.checkId(id, VOCAB);
            if (id != PAD && id != END_OF_TEXT) {
                kept.add(id);
            }
        }
        // Bytes, then String: a token sequence cut inside a character decodes to U+FFFD, not an error.
        return new String(encoding.decodeBytes(kept), StandardCharsets.UTF_8);
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
        JsonObject settings = new JsonObject();
        settings.addProperty("encoding", encoding.getName());
        TokenizerMeta.of(TokenizerMeta.Kind.GPT2, this, settings).write(dir);
    }

    /** Restores what {@link #save} wrote, checking that it names this encoding. */
    static Gpt2Tokenizer restore(Path dir, TokenizerMeta meta) {
        Gpt2Tokenizer tokenizer = create();
        String saved = meta.setting("encoding", dir);
        if (!saved.equals(tokenizer.encoding.getName())) {
            throw new IllegalArgumentException(dir.resolve(TokenizerMeta.FILE) + " names the BPE encoding '" + saved
                    + "', but gpt2 is '" + tokenizer.encoding.getName() + "'; save the tokenizer again");
        }
        return tokenizer;
    }

    @Override
    public String toString() {
        return "Gpt2Tokenizer[r50k_base, vocab=" + VOCAB + ", pad=" + PAD + "]";
    }
}
