package ai.goldkd.tokenizer;

import java.util.List;

/** Texts every tokenizer test round-trips: ASCII, accents, CJK, emoji (ZWJ sequences, flags), whitespace, empty. */
final class Samples {

    static final List<String> TEXTS = List.of(
            "",
            "Hello, world!",
            "héllo wörld, naïve café",
            "日本語のテキスト 世界",
            "emoji 🎉 family 👩‍👩‍👧 flag 🇫🇷 end",
            "tabs\tand\nnew lines,  double  spaces ",
            "<|endoftext|> </s> <s> spelled as text");

    private Samples() {}
}
