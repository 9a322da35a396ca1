package ai.goldkd.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors reader and writer against a file written by make_safetensors.py from the format's spec. */
class SafetensorsTest {

    @TempDir
    Path tmp;

    private Path fixture() throws IOException {
        Path file = tmp.resolve("tiny.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/hf/tiny.safetensors")) {
            Files.copy(in, file);
        }
        return file;
    }

    private static JsonObject expected() throws IOException {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/hf/tiny.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
    }

    private static float[] values(JsonObject tensor) {
        return values(tensor, "values");
    }

    private static float[] values(JsonObject tensor, String key) {
        var array = tensor.getAsJsonArray(key);
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void readsEveryDtypeAsTheReferenceWroteIt() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(fixture());
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals("pt", file.metadata().get("format"));
            for (Map.Entry<String, JsonElement> e : expected().entrySet()) {
                JsonObject want = e.getValue().getAsJsonObject();
                TensorInfo info = file.info(e.getKey());
                assertEquals(want.get("dtype").getAsString(), info.dtype().name());
                assertArrayEquals(values(want), file.floats(e.getKey()), e.getKey());
                NDArray loaded = file.load(e.getKey(), manager, DataType.FLOAT32);
                assertEquals(DataType.FLOAT32, loaded.getDataType());
                assertArrayEquals(values(want), loaded.toFloatArray(), e.getKey());
                assertEquals(info.shape(), loaded.getShape());
            }
        }
    }

    @Test
    void writesWhatItReadsInEachDtype() throws IOException {
        JsonObject reference = expected();
        try (SafetensorsFile source = SafetensorsFile.open(fixture());
                NDManager manager = NDManager.newBaseManager()) {
            for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
                Path out = tmp.resolve("out-" + dtype + ".safetensors");
                List<SafetensorsWriter.Entry> entries = source.tensors().keySet().stream()
                        .map(n -> new SafetensorsWriter.Entry(n, source.load(n, manager, null), dtype))
                        .toList();
                SafetensorsWriter.write(out, entries, Map.of("format", "pt"));
                try (SafetensorsFile back = SafetensorsFile.open(out)) {
                    assertEquals(source.tensors().keySet(), back.tensors().keySet());
                    for (String name : source.tensors().keySet()) {
                        assertEquals(dtype, back.info(name).dtype());
                        float[] want = values(reference.getAsJsonObject(name).getAsJsonObject("as"), dtype.name());
                        assertArrayEquals(want, back.floats(name), dtype + " " + name);
                    }
                }
                assertEquals(
                        0,
                        (Files.size(out)
                                        - 8
                                        - source.tensors().values().stream()
                                                .mapToLong(t -> t.size() * dtype.bytes())
                                                .sum())
                                % 8,
                        "header padded to 8 bytes");
            }
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws IOException {
        Path file = fixture();
        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().contains("cut.safetensors is truncated"), e.getMessage());
        Path pickle = tmp.resolve("pickle.safetensors");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, 'c', 'x', 0, 0, 0, 0, 0, 0});
        e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(pickle));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    @Test
    void shardsAreReadThroughTheirIndexAndAMissingShardIsNamed() throws IOException {
        Path dir = tmp.resolve("sharded");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.arange(6f).reshape(2, 3);
            NDArray b = manager.arange(4f).reshape(4);
            SafetensorsWriter.write(
                    dir.resolve("model-00001-of-00002.safetensors"),
                    List.of(new SafetensorsWriter.Entry("x.a", a, DType.F32)),
                    Map.of());
            SafetensorsWriter.write(
                    dir.resolve("model-00002-of-00002.safetensors"),
                    List.of(new SafetensorsWriter.Entry("x.b", b, DType.BF16)),
                    Map.of());
            Files.writeString(
                    dir.resolve(HfWeights.INDEX),
                    "{\"metadata\": {}, \"weight_map\": {"
                            + "\"x.a\": \"model-00001-of-00002.safetensors\", \"x.b\": \"model-00002-of-00002.safetensors\"}}");
            try (HfWeights weights = HfWeights.open(dir)) {
                assertEquals(List.of("x.a", "x.b"), weights.names());
                assertEquals(
                        new Shape(2, 3),
                        weights.load("x.a", manager, DataType.FLOAT32).getShape());
                assertArrayEquals(new float[] {0, 1, 2, 3}, weights.floats("x.b"));
                assertEquals(DType.F32, weights.storedType());
            }
            Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfWeights.open(dir));
            assertTrue(e.getMessage().contains("shard model-00002-of-00002.safetensors"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfWeights.open(tmp));
        assertTrue(e.getMessage().startsWith("no model.safetensors"), e.getMessage());
    }
}
