package ai.goldkd.teacher;

import ai.goldkd.data.Sha256;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A content-addressed store of teacher completions on disk: one JSON file per request, named by the
 * SHA-256 of the teacher's identity (endpoint and model, or an offline teacher's name and recipe) and
 * the exact request (prompt, sampling settings, seed). An entry is written under a temporary name and
 * moved into place, so a process killed mid-write leaves no partial entry, and two runs that share the
 * store at once only ever see whole entries (the second writer of the same key replaces it with the
 * same content).
 *
 * <p>Only reproducible requests belong here: {@link #cacheable} is true for seeded or greedy requests.
 */
public final class CompletionCache {

    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final Type LIST = new TypeToken<List<Completion>>() {}.getType();

    private final Path dir;

    /**
     * A store in a directory.
     *
     * @param dir the directory, created when the first entry is written ({@code $GOLD_HOME/cache/completions})
     */
    public CompletionCache(Path dir) {
        this.dir = dir;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Whether a request is reproducible, so that its answer may be replayed: seeded, or greedy. */
    public static boolean cacheable(GenerationRequest request) {
        return request.seed() != null || request.temperature() == 0f;
    }

    /**
     * The key of a request to a teacher.
     *
     * @param teacher the teacher's identity, e.g. {@code "http://127.0.0.1:8000/v1 llama"}
     * @param request the request
     * @return 64 hex digits
     */
    public static String key(String teacher, GenerationRequest request) {
        JsonObject canonical = new JsonObject();
        canonical.addProperty("teacher", teacher);
        canonical.add("request", GSON.toJsonTree(request));
        return Sha256.hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The completions stored for a key.
     *
     * @param key from {@link #key}
     * @return them, or empty when the key has no entry
     */
    public Optional<List<Completion>> get(String key) {
        Path file = fileOf(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<Completion> completions = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), LIST);
            return Optional.ofNullable(completions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached completion " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalStateException(
                    "the cached completion " + file + " is not valid JSON (" + e.getMessage()
                            + "); delete it and run again",
                    e);
        }
    }

    /**
     * Stores the completions of a key, whole or not at all.
     *
     * @param key from {@link #key}
     * @param completions the teacher's answer
     */
    public void put(String key, List<Completion> completions) {
        Path file = fileOf(key);
        Path tmp = file.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, GSON.toJson(completions, LIST), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the cached completion " + file + "; check the disk, or turn the cache off", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the entry is in place or the write failed already: a stray temporary is harmless
            }
        }
    }

    private Path fileOf(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key.substring(2) + ".json");
    }
}
