package ai.goldkd.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HfTokenizer on a tiny WordLevel tokenizer.json written here, so it needs no installed package. */
class HfTokenizerTest {

    @TempDir
    Path tmp;

    /** A BERT-like word-level tokenizer.json: [UNK] 0, [PAD] 1, [CLS] 2, [SEP] 3, words from 4. */
    static String wordLevelJson(boolean withCls) {
        String added = token(0, "[UNK]") + "," + token(1, "[PAD]") + (withCls ? "," + token(2, "[CLS]") : "") + ","
                + token(3, "[SEP]");
        return """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [%s],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
                 "decoder": null,
                 "model": {"type": "WordLevel", "unk_token": "[UNK]",
                           "vocab": {"[UNK]": 0, "[PAD]": 1, %s"[SEP]": 3, "hello": 4, "world": 5, "!": 6}}}
                """.formatted(added, withCls ? "\"[CLS]\": 2, " : "");
    }

    private static String token(int id, String content) {
        return "{\"id\": " + id + ", \"content\": \"" + content + "\", \"single_word\": false, \"lstrip\": false,"
                + " \"rstrip\": false, \"normalized\": false, \"special\": true}";
    }

    private Path write(String json) throws IOException {
        Path file = tmp.resolve("tokenizer.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void findsSpecialTokensByTheirUsualNames() throws IOException {
        try (HfTokenizer tok = Tokenizers.huggingFace(write(wordLevelJson(true)))) {
            assertEquals(new SpecialTokens(1, 2, 3), tok.specials());
            assertEquals(new HfTokenizer.Names("[PAD]", "[CLS]", "[SEP]"), tok.names());
            assertEquals(7, tok.vocabSize());
            assertArrayEquals(new int[] {4, 5, 6}, tok.encode("hello world!"));
            assertArrayEquals(new int[] {4, 0}, tok.encode("hello zebra"));
            assertEquals("hello world !", tok.decode(new int[] {2, 4, 5, 6, 3, 1, 1}));
            assertArrayEquals(new int[0], tok.encode(""));
        }
    }

    @Test
    void namedSpecialTokensOverrideTheCandidates() throws IOException {
        HfTokenizer.Names names = HfTokenizer.Names.defaults().withPad("[UNK]").withEos("!");
        try (HfTokenizer tok = Tokenizers.huggingFace(write(wordLevelJson(true)), names)) {
            assertEquals(new SpecialTokens(0, 2, 6), tok.specials());
        }
    }

    @Test
    void acceptsTheDirectoryThatHoldsTokenizerJson() throws IOException {
        write(wordLevelJson(true));
        try (HfTokenizer tok = Tokenizers.huggingFace(tmp)) {
            assertEquals(tmp.resolve("tokenizer.json"), tok.file());
        }
    }

    @Test
    void unknownSpecialTokenNamesTheFileTheChoicesAndTheFlag() throws IOException {
        Path file = write(wordLevelJson(true));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Tokenizers.huggingFace(file, HfTokenizer.Names.defaults().withPad("<pad>")));
        assertEquals(
                "unknown special token '<pad>' in " + file + "; name one of [UNK], [PAD], [CLS], [SEP]"
                        + " with --pad-token (HfTokenizer.Names.withPad in Java)",
                e.getMessage());
    }

    @Test
    void missingRoleListsTheCandidatesItTried() throws IOException {
        Path file = write(wordLevelJson(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.huggingFace(file));
        assertTrue(e.getMessage().startsWith("no bos token in " + file + " (looked for <s>,"), e.getMessage());
        assertTrue(e.getMessage().contains("--bos-token"), e.getMessage());
    }

    @Test
    void withoutAddedTokensTheVocabularysSpecialLookingEntriesAreOffered() throws IOException {
        Path file = write(wordLevelJson(false).replaceFirst("\"added_tokens\": \\[.*],", "\"added_tokens\": [],"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.huggingFace(file));
        assertTrue(e.getMessage().contains("; name one of [UNK], [PAD], [SEP] with --bos-token"), e.getMessage());
    }

    @Test
    void missingFileSaysWhereItLooked() {
        Path missing = tmp.resolve("nowhere/tokenizer.json");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Tokenizers.huggingFace(missing));
        assertTrue(
                e.getMessage().startsWith("tokenizer.json not found: " + missing.toAbsolutePath() + "; "),
                e.getMessage());
    }

    @Test
    void fileThatIsNotATokenizerSaysSo() throws IOException {
        Path file = write("[1, 2, 3]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.huggingFace(file));
        assertTrue(e.getMessage().contains("is not a Hugging Face tokenizer.json"), e.getMessage());
    }
}
