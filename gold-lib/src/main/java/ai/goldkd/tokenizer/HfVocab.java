package ai.goldkd.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The token-to-id table of a Hugging Face {@code tokenizer.json}, read with Gson because DJL's
 * tokenizer exposes neither the vocabulary size nor a token's id. Covers the model types that hold a
 * vocabulary: BPE, WordPiece and WordLevel (a {@code token -> id} map) and Unigram (a list of
 * {@code [piece, score]}, id = position), plus {@code added_tokens}.
 *
 * @param ids every token's id
 * @param size one past the largest id
 * @param specialNames the added tokens marked special or, when there are none, vocabulary entries that
 *     look special ({@code <x>}, {@code [X]}, {@code <|x|>}; not byte tokens {@code <0x0A>}), in id order:
 *     what an error message offers
 */
record HfVocab(Map<String, Integer> ids, int size, List<String> specialNames) {

    private static final Pattern LOOKS_SPECIAL =
            Pattern.compile("<[^<>\\s]{1,20}>|\\[[A-Z]{1,10}]|<\\|[^|\\s]{1,30}\\|>");
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
    private static final int MAX_NAMES = 12;

    /** Reads the table from a tokenizer.json. */
    static HfVocab read(Path file) {
        JsonObject root;
        try {
            root = JsonParser.parseString(TokenizerMeta.readString(file)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(
                    file + " is not a Hugging Face tokenizer.json (" + e.getMessage()
                            + "); pass the tokenizer.json that tokenizer.save_pretrained() or the model's hub page gives",
                    e);
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonObject model = root.has("model") && root.get("model").isJsonObject() ? root.getAsJsonObject("model") : null;
        JsonElement vocab = model == null ? null : model.get("vocab");
        if (vocab == null) {
            throw new IllegalArgumentException(file + " has no model.vocab; DJL's tokenizers read BPE, WordPiece,"
                    + " WordLevel and Unigram tokenizer.json files: pass one of those");
        }
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                ids.put(e.getKey(), e.getValue().getAsInt());
            }
        } else {
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                ids.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement e : added.getAsJsonArray()) {
                JsonObject token = e.getAsJsonObject();
                String content = token.get("content").getAsString();
                ids.put(content, token.get("id").getAsInt());
                if (token.has("special") && token.get("special").getAsBoolean()) {
                    names.add(content);
                }
            }
        }
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (names.isEmpty()) {
            List<Map.Entry<String, Integer>> looksSpecial = new ArrayList<>();
            for (Map.Entry<String, Integer> e : ids.entrySet()) {
                if (LOOKS_SPECIAL.matcher(e.getKey()).matches()
                        && !BYTE_TOKEN.matcher(e.getKey()).matches()) {
                    looksSpecial.add(e);
                }
            }
            looksSpecial.sort(Map.Entry.comparingByValue());
            looksSpecial.forEach(e -> names.add(e.getKey()));
        }
        List<String> offered = new ArrayList<>(names);
        return new HfVocab(Map.copyOf(ids), size, List.copyOf(offered.subList(0, Math.min(MAX_NAMES, offered.size()))));
    }

    @Override
    public String toString() {
        return "HfVocab[size=" + size + ", specials=" + specialNames + "]";
    }

    /** The id of a token, or -1. */
    int id(String token) {
        return ids.getOrDefault(token, -1);
    }
}
