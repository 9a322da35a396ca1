package ai.goldkd.nd;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Half floats against PyTorch's own conversion (through DJL's float16 tensors). */
class HalfFloatsTest {

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            short bits = (short) h;
            float value = HalfFloats.toFloat(bits);
            if (!Float.isNaN(value)) {
                assertEquals(bits, HalfFloats.of(value), "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void roundingMatchesPyTorchOnRandomAndMidpointFloats() {
        SplittableRandom random = new SplittableRandom(5);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> (float) (random.nextGaussian() * 10);
                case 1 -> (float) (random.nextGaussian() * 1e-5); // subnormal halves
                case 2 -> (float) (random.nextGaussian() * 30000); // near the top of the range
                default -> { // exactly between two halves
                    short h = (short) random.nextInt(0x7bff);
                    float a = HalfFloats.toFloat(h);
                    float b = HalfFloats.toFloat((short) (h + 1));
                    yield (float) ((a + (double) b) / 2);
                }
            };
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ByteBuffer torch = manager.create(values)
                    .toType(DataType.FLOAT16, false)
                    .toByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; i++) {
                assertEquals(torch.getShort(i * 2), HalfFloats.of(values[i]), "value " + values[i]);
            }
        }
    }
}
