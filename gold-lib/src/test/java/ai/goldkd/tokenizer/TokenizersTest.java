package ai.goldkd.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {

    private static final List<String> CORPUS = List.of("the cat sat on the mat.", "The dog sat, too! 🎉");

    @TempDir
    Path tmp;

    /** A checkpoint directory that already holds a model's files, which a save must leave alone. */
    private Path checkpoint(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("model.params"), "weights");
        Files.writeString(dir.resolve("config.json"), "{\"vocab\": 259}");
        return dir;
    }

    private static void assertRestoresExactly(Tokenizer saved, Path dir) throws IOException {
        assertFalse(Tokenizers.isSaved(dir));
        saved.save(dir);
        assertTrue(Tokenizers.isSaved(dir));
        assertEquals("weights", Files.readString(dir.resolve("model.params")));
        assertEquals("{\"vocab\": 259}", Files.readString(dir.resolve("config.json")));
        Tokenizer loaded = Tokenizers.load(dir);
        assertEquals(saved.getClass(), loaded.getClass());
        assertEquals(saved.vocabSize(), loaded.vocabSize());
        assertEquals(saved.specials(), loaded.specials());
        for (String text : Samples.TEXTS) {
            assertArrayEquals(saved.encode(text), loaded.encode(text), () -> "text: " + text);
        }
        for (String text : CORPUS) {
            assertArrayEquals(saved.encode(text), loaded.encode(text), () -> "text: " + text);
            assertEquals(saved.decode(saved.encode(text)), loaded.decode(loaded.encode(text)));
        }
    }

    @Test
    void bytesSaveAndLoad() throws IOException {
        assertRestoresExactly(Tokenizers.bytes(), checkpoint("bytes"));
    }

    @Test
    void gpt2SavesAndLoads() throws IOException {
        assertRestoresExactly(Tokenizers.gpt2(), checkpoint("gpt2"));
    }

    @Test
    void wordsSaveAndLoadWithTheirCaseSetting() throws IOException {
        assertRestoresExactly(Tokenizers.words(CORPUS), checkpoint("words"));
        WordTokenizer lower =
                Tokenizers.words(CORPUS, WordTokenizer.Options.defaults().withLowercase(true));
        assertRestoresExactly(lower, checkpoint("lower"));
        WordTokenizer loaded = (WordTokenizer) Tokenizers.load(tmp.resolve("lower"));
        assertTrue(loaded.lowercase());
        assertEquals(lower.vocabulary(), loaded.vocabulary());
    }

    @Test
    void huggingFaceCopiesItsFileSoTheCheckpointStandsAlone() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source")).resolve("tokenizer.json");
        Files.writeString(source, HfTokenizerTest.wordLevelJson(true));
        Path dir = checkpoint("hf");
        HfTokenizer.Names names = HfTokenizer.Names.defaults().withPad("[UNK]");
        try (HfTokenizer tok = Tokenizers.huggingFace(source, names)) {
            assertRestoresExactly(tok, dir);
            tok.save(dir); // again, now onto its own copy's neighbour: still fine
        }
        Files.delete(source);
        try (HfTokenizer loaded = (HfTokenizer) Tokenizers.load(dir)) {
            assertEquals(dir.resolve("tokenizer.json"), loaded.file());
            assertEquals(new SpecialTokens(0, 2, 3), loaded.specials());
            loaded.save(dir); // saving a tokenizer into the directory it came from keeps its file
            assertEquals(HfTokenizerTest.wordLevelJson(true), Files.readString(dir.resolve("tokenizer.json")));
        }
    }

    @Test
    void npmLlama2SavesAndLoads() throws IOException {
        try (HfTokenizer tok = Tokenizers.npmLlama2()) {
            assertRestoresExactly(tok, checkpoint("llama2"));
        }
    }

    @Test
    void loadWithoutASavedTokenizerSaysWhatToPass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(tmp));
        assertTrue(e.getMessage().startsWith("no tokenizer-meta.json in " + tmp + "; "), e.getMessage());
    }

    @Test
    void changedFilesAfterSavingFailLoudly() throws IOException {
        Path dir = checkpoint("words");
        Tokenizers.words(CORPUS).save(dir);
        Path vocab = dir.resolve("tokenizer-vocab.json");
        Files.writeString(vocab, Files.readString(vocab).replace("\"cat\",", ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("were changed after saving"), e.getMessage());

        Files.delete(vocab);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(
                missing.getMessage().contains("tokenizer-vocab.json")
                        && missing.getMessage().contains("is missing"),
                missing.getMessage());

        Files.writeString(dir.resolve("tokenizer-meta.json"), "{\"format\": 1, \"kind\": \"sentencepiece\"}");
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(kind.getMessage().startsWith("unknown tokenizer kind 'sentencepiece'"), kind.getMessage());

        Files.writeString(dir.resolve("tokenizer-meta.json"), "{\"format\": 1, \"kind\": \"bytes\"}");
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(field.getMessage().contains("lacks the field 'specials'"), field.getMessage());

        Files.writeString(dir.resolve("tokenizer-meta.json"), "{not json");
        IllegalArgumentException json = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(json.getMessage().startsWith("cannot read "), json.getMessage());
    }
}
