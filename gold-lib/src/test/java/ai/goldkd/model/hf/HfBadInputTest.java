package ai.goldkd.model.hf;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A damaged or unsupported checkpoint fails at load with a message naming the file, key or value and the fix. */
class HfBadInputTest {

    @TempDir
    Path tmp;

    private static IllegalArgumentException loadFails(Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return assertThrows(
                    IllegalArgumentException.class,
                    () -> HfCheckpoint.load(dir.toString(), manager, HfCheckpoint.Options.defaults()));
        }
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), file + " lacks " + from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    void unknownModelTypeNamesTheTypeAndTheSupportedOnes() throws IOException {
        Path dir = HfFixtures.copy("qwen2-f16", tmp);
        edit(dir.resolve("config.json"), "\"qwen2\"", "\"falcon\"");
        String m = loadFails(dir).getMessage();
        assertTrue(
                m.contains("model_type 'falcon'")
                        && m.contains("llama, mistral, qwen2, qwen3, gpt2")
                        && m.contains("config.json"),
                m);
    }

    @Test
    void unsupportedSettingsNameTheKeyValueAndWhatIsSupported() throws IOException {
        Path dir = HfFixtures.copy("llama3-f32", tmp);
        edit(dir.resolve("config.json"), "\"llama3\"", "\"yarn\"");
        String m = loadFails(dir).getMessage();
        assertTrue(m.contains("rope_scaling.rope_type = yarn") && m.contains("default, linear, llama3"), m);

        Path act = HfFixtures.copy("qwen3-bf16", tmp);
        edit(act.resolve("config.json"), "\"silu\"", "\"gelu\"");
        m = loadFails(act).getMessage();
        assertTrue(m.contains("hidden_act = gelu") && m.contains("silu"), m);
    }

    @Test
    void aSlidingWindowShorterThanTheContextIsRefused() throws IOException {
        Path dir = HfFixtures.copy("mistral-bf16", tmp);
        edit(dir.resolve("config.json"), "\"sliding_window\": null", "\"sliding_window\": 16");
        String m = loadFails(dir).getMessage();
        assertTrue(m.contains("sliding_window 16") && m.contains("context asked (64)"), m);
        try (NDManager manager = NDManager.newBaseManager()) {
            // Asking for no more than the window is full attention: exact, so it loads.
            HfCheckpoint ok = HfCheckpoint.load(
                    dir.toString(), manager, HfCheckpoint.Options.defaults().withContext(16));
            assertEquals(16, ok.model().context());
            ok.tokenizer().close();
        }
    }

    @Test
    void aMissingShardNamesTheShardAndTheFix() throws IOException {
        Path dir = HfFixtures.copy("llama-linear-f16", tmp);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        String m = loadFails(dir).getMessage();
        assertTrue(m.contains("model-00002-of-00002.safetensors") && m.contains("missing"), m);
    }

    @Test
    void aTensorWhoseShapeDisagreesWithTheConfigNamesBoth() throws IOException {
        Path dir = HfFixtures.copy("qwen2-f16", tmp);
        edit(dir.resolve("config.json"), "\"intermediate_size\": 32", "\"intermediate_size\": 40");
        String m = loadFails(dir).getMessage();
        assertTrue(
                m.contains("mlp.gate_proj.weight")
                        && m.contains("model.safetensors")
                        && m.contains("(32, 16)")
                        && m.contains("(40, 16)"),
                m);
    }

    @Test
    void aTruncatedSafetensorsFileIsNamed() throws IOException {
        Path dir = HfFixtures.copy("gpt2-f32", tmp);
        Path file = dir.resolve("model.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        String m = loadFails(dir).getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("truncated"), m);
    }

    @Test
    void aTokenizerLargerThanTheEmbeddingIsRefused() throws IOException {
        Path dir = HfFixtures.copy("gpt2-bf16", tmp);
        edit(dir.resolve("tokenizer.json"), "\"dull\": 37", "\"dull\": 37, \"extra\": 38");
        String m = loadFails(dir).getMessage();
        assertTrue(m.contains("tokenizer.json has 39 ids") && m.contains("38 rows"), m);
    }

    @Test
    void aHubIdSaysTheMachineIsOffline() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HfCheckpoint.resolve("Qwen/Qwen2.5-0.5B"));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("local directory"), e.getMessage());
    }

    @Test
    void bf16ComputeIsRefusedInOneLine() {
        String m = assertThrows(IllegalArgumentException.class, () -> Precision.BF16.on(ai.djl.Device.cpu()))
                .getMessage();
        assertTrue(m.contains("bf16") && m.contains("fp32") && !m.contains("\n"), m);
    }
}
