package ai.goldkd.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex: data files' integrity checks and the cache keys of built models. */
public final class Sha256 {

    private Sha256() {}

    /**
     * The digest of some bytes.
     *
     * @param bytes the bytes
     * @return 64 hex digits
     */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    /**
     * The digest of some bytes, as bytes.
     *
     * @param bytes the bytes
     * @return 32 bytes
     */
    public static byte[] digest(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /**
     * The digest of a file.
     *
     * @param file the file
     * @return 64 hex digits
     */
    public static String hex(Path file) {
        MessageDigest digest = sha256();
        // streamed a megabyte at a time: model weights need not fit in the heap to be hashed
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(chunk.clear()) > 0) {
                digest.update(chunk.flip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
