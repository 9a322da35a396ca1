package ai.goldkd.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link Tokenizer#save} writes beside a checkpoint as {@value #FILE}: the kind, the size and
 * special ids (checked again on load, so a changed file fails loudly), and the kind's settings.
 *
 * @param kind the implementation
 * @param vocabSize the vocabulary size at save time
 * @param specials the special ids at save time
 * @param settings the kind's own settings and file names (may be empty)
 */
record TokenizerMeta(Kind kind, int vocabSize, SpecialTokens specials, JsonObject settings) {

    /** The file name, which no other part of a checkpoint uses. */
    static final String FILE = "tokenizer-meta.json";

    private static final int FORMAT = 1;
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The implementations; a switch on this enum in {@link Tokenizers#load} is the whole registry. */
    enum Kind {
        BYTES,
        WORDS,
        GPT2,
        HUGGING_FACE;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind parse(String name, Path file) {
            for (Kind k : values()) {
                if (k.jsonName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown tokenizer kind '" + name + "' in " + file
                    + "; expected bytes, words, gpt2 or hugging-face (was it written by a newer gold?)");
        }
    }

    /** Describes a tokenizer for saving. */
    static TokenizerMeta of(Kind kind, Tokenizer tokenizer, JsonObject settings) {
        return new TokenizerMeta(kind, tokenizer.vocabSize(), tokenizer.specials(), settings);
    }

    /** Writes {@value #FILE} into {@code dir}, creating the directory if needed; touches no other file. */
    void write(Path dir) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("kind", kind.jsonName());
        root.addProperty("vocabSize", vocabSize);
        JsonObject sp = new JsonObject();
        sp.addProperty("pad", specials.pad());
        sp.addProperty("bos", specials.bos());
        sp.addProperty("eos", specials.eos());
        root.add("specials", sp);
        root.add("settings", settings);
        writeString(dir.resolve(FILE), GSON.toJson(root) + "\n");
    }

    /** Reads {@value #FILE} from a directory that a tokenizer was saved into. */
    static TokenizerMeta read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + FILE + " in " + dir + "; pass the directory that"
                    + " tokenizer.save(dir) wrote (a checkpoint directory), or build the tokenizer with"
                    + " a Tokenizers factory");
        }
        try {
            JsonObject root = JsonParser.parseString(readString(file)).getAsJsonObject();
            int format = required(root, "format", file).getAsInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException(file + " has format " + format + ", this gold reads " + FORMAT
                        + "; save the tokenizer again with this version");
            }
            Kind kind = Kind.parse(required(root, "kind", file).getAsString(), file);
            JsonObject sp = required(root, "specials", file).getAsJsonObject();
            JsonElement settings = root.get("settings");
            return new TokenizerMeta(
                    kind,
                    required(root, "vocabSize", file).getAsInt(),
                    new SpecialTokens(
                            required(sp, "pad", file).getAsInt(),
                            required(sp, "bos", file).getAsInt(),
                            required(sp, "eos", file).getAsInt()),
                    settings == null ? new JsonObject() : settings.getAsJsonObject());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "cannot read " + file + " (" + e.getMessage()
                            + "); it is damaged: save the tokenizer into the directory again",
                    e);
        }
    }

    private static JsonElement required(JsonObject object, String name, Path file) {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException(file + " lacks the field '" + name + "'; it is damaged: save the"
                    + " tokenizer into the directory again");
        }
        return value;
    }

    /** Throws when a restored tokenizer differs from what was saved (its files changed since). */
    void checkRestored(Tokenizer restored, Path dir) {
        if (restored.vocabSize() != vocabSize || !restored.specials().equals(specials)) {
            throw new IllegalStateException("the tokenizer restored from " + dir + " has vocab "
                    + restored.vocabSize() + " and " + restored.specials() + ", but " + FILE + " recorded vocab "
                    + vocabSize + " and " + specials + "; its files were changed after saving: restore them"
                    + " or save the tokenizer again");
        }
    }

    /** A string setting, or a clear error naming the file. */
    String setting(String name, Path dir) {
        JsonElement value = settings.get(name);
        if (value == null || !value.isJsonPrimitive()) {
            throw new IllegalArgumentException(dir.resolve(FILE) + " lacks the setting '" + name + "' that a "
                    + kind.jsonName() + " tokenizer needs; save the tokenizer into the directory again");
        }
        return value.getAsString();
    }

    static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + file + " (" + e.getMessage() + "); check that the directory is writable", e);
        }
    }

    static String toJson(JsonElement element) {
        return GSON.toJson(element);
    }
}
