package ai.goldkd.config;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicesTest {

    @Test
    void autoPicksGpuOnlyWhenOneIsVisible() {
        assertEquals(Device.cpu(), Devices.choose(null, 0));
        assertEquals(Device.cpu(), Devices.choose("auto", 0));
        assertEquals(Device.gpu(), Devices.choose(null, 1));
        assertEquals(Device.gpu(), Devices.choose(" AUTO ", 2));
    }

    @Test
    void overrideForcesTheDevice() {
        assertEquals(Device.cpu(), Devices.choose("cpu", 4));
        assertEquals(Device.gpu(), Devices.choose("GPU", 1));
    }

    @Test
    void gpuDemandedWithoutOneSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.choose("gpu", 0));
        assertTrue(e.getMessage().contains("GOLD_DEVICE=cpu"), e.getMessage());
    }

    @Test
    void unknownValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.choose("tpu", 0));
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
    }
}
