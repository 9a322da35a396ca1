package ai.goldkd.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * The digest of a file.
     *
     * @param file the file
     * @return 64 hex digits
     */
    public static String hex(Path file) {
        try {
            return hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
