package ai.goldkd.nd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Frees what the garbage collector may free and writes junk over it: call it between a forward pass
 * and its backward pass, and a graph that kept a Java-buffer tensor alive only by luck reads the junk.
 */
public final class GcStorm {

    private GcStorm() {}

    /** Collects twice (waiting for the cleaner thread), then fills fresh direct buffers with 1e30f. */
    public static void now() {
        for (int round = 0; round < 2; round++) {
            System.gc();
            try {
                Thread.sleep(30); // direct buffers are freed by the Cleaner thread, after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 8)).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
            junk.add(b);
        }
        junk.clear();
    }
}
