package ai.goldkd.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON Lines with named fields, one {@link Example} a line, as Hugging Face datasets reads and writes
 * them ({@code Dataset.to_json(path)}, {@code load_dataset("json", data_files=path)}). Strings stay
 * strings; numbers and booleans become their JSON text; nested values are kept as compact JSON text.
 * Blank lines are skipped. Files are UTF-8 with {@code \n} line ends, so writing is byte-stable.
 */
public final class Jsonl {

    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Jsonl() {}

    /**
     * Reads a JSONL file.
     *
     * @param file the file
     * @return its examples, in order
     * @throws DataFileException naming the file and line of the first malformed line
     */
    public static List<Example> read(Path file) {
        return readNumbered(file).stream().map(Numbered::example).toList();
    }

    /**
     * A sample and the line it came from, for errors that name both.
     *
     * @param line the 1-based line number
     * @param example the sample
     */
    public record Numbered(int line, Example example) {}

    /**
     * Reads a JSONL file, keeping each sample's line number. Text that is not UTF-8 fails naming its line.
     *
     * @param file the file
     * @return the samples with their lines
     * @throws DataFileException naming the file and line of the first malformed line
     */
    public static List<Numbered> readNumbered(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("JSONL file " + file.toAbsolutePath() + " does not exist; check the path"
                    + " (a task's dataset pattern is resolved against the datasets directory)");
        }
        String text;
        try {
            text = decodeUtf8(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Numbered> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (!line.isBlank()) {
                out.add(new Numbered(i + 1, parseLine(line, file.toString(), i + 1)));
            }
        }
        return out;
    }

    /** Strict UTF-8: a malformed byte fails naming its line, where the JDK's reader would throw without one. */
    private static String decodeUtf8(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new DataFileException(
                    file + " line " + line + ": not valid UTF-8 (byte " + in.position() + "); save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /**
     * Parses JSONL text.
     *
     * @param text the lines
     * @param source the name to give in errors
     * @return the examples
     */
    public static List<Example> parse(String text, String source) {
        try {
            return parse(new BufferedReader(new StringReader(text)), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses JSONL from a reader.
     *
     * @param reader the lines
     * @param source the name to give in errors
     * @return the examples
     * @throws IOException when the reader fails
     */
    public static List<Example> parse(BufferedReader reader, String source) throws IOException {
        List<Example> examples = new ArrayList<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (!line.isBlank()) {
                examples.add(parseLine(line, source, lineNumber));
            }
        }
        return examples;
    }

    private static Example parseLine(String line, String source, int lineNumber) {
        String where = source + " line " + lineNumber;
        JsonElement element;
        JsonReader json = new JsonReader(new StringReader(line));
        json.setStrictness(Strictness.STRICT);
        try {
            element = JsonParser.parseReader(json);
        } catch (JsonParseException e) {
            throw new DataFileException(
                    where + ": not valid JSON" + column(e) + "; each line must be one JSON"
                            + " object such as {\"text\": \"...\", \"label\": \"positive\"}",
                    e);
        }
        boolean trailing;
        try {
            trailing = json.peek() != JsonToken.END_DOCUMENT;
        } catch (IOException | JsonParseException e) {
            trailing = true;
        }
        if (trailing) {
            throw new DataFileException(where + ": text after the JSON object; put one object on each line");
        }
        if (!element.isJsonObject()) {
            throw new DataFileException(where + ": a JSON " + kind(element) + ", not an object; each line must be"
                    + " one JSON object such as {\"text\": \"...\", \"label\": \"positive\"}");
        }
        JsonObject object = element.getAsJsonObject();
        if (object.isEmpty()) {
            throw new DataFileException(where + ": an empty object; give the sample its fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            JsonElement value = e.getValue();
            if (value.isJsonNull()) {
                throw new DataFileException(
                        where + ": field '" + e.getKey() + "' is null; use \"\" or drop the" + " field");
            }
            fields.put(e.getKey(), value.isJsonPrimitive() ? value.getAsString() : GSON.toJson(value));
        }
        return new Example(fields);
    }

    /**
     * Writes examples as JSONL, one compact object a line, fields in their order.
     *
     * @param file the file (its directory is created)
     * @param examples the examples
     */
    public static void write(Path file, List<Example> examples) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write(format(examples));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Formats examples as JSONL text.
     *
     * @param examples the examples
     * @return one line per example, each ending in {@code \n}
     */
    public static String format(List<Example> examples) {
        StringBuilder out = new StringBuilder();
        for (Example example : examples) {
            JsonObject object = new JsonObject();
            example.fields().forEach(object::addProperty);
            out.append(GSON.toJson(object)).append('\n');
        }
        return out.toString();
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) {
            return "array";
        }
        return e.isJsonNull() ? "null" : "value (" + e + ")";
    }

    /** Gson's message names the column but wraps it in advice about leniency; keep the column. */
    private static String column(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = COLUMN.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return " (column " + m.group(1) + ")";
            }
        }
        return "";
    }
}
