package ai.goldkd.model.bert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The shape of a BERT-family encoder, read from a Hugging Face {@code config.json} (BERT, MiniLM, BGE
 * and E5 checkpoints are {@code model_type: bert}; RoBERTa is {@code roberta}). Settings gold does not
 * implement fail at load, naming the key and its value.
 *
 * @param family the architecture ({@code model_type})
 * @param vocabSize rows of the word embedding
 * @param hiddenSize the width D
 * @param layers the number of transformer layers
 * @param heads attention heads; they divide D
 * @param intermediateSize the MLP's inner width
 * @param maxPositions rows of the absolute position embedding (the longest input)
 * @param typeVocabSize rows of the token type embedding
 * @param layerNormEps the LayerNorms' epsilon
 * @param hiddenDropout dropout on embeddings and sub-layer outputs while training
 * @param attentionDropout dropout on the attention probabilities while training
 * @param padTokenId the padding token's id
 */
public record BertConfig(
        EncoderFamily family,
        int vocabSize,
        int hiddenSize,
        int layers,
        int heads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        float layerNormEps,
        float hiddenDropout,
        float attentionDropout,
        int padTokenId) {

    /** The file name inside a checkpoint directory. */
    public static final String FILE = "config.json";

    /** Model types of causal language models, refused by name (their checkpoints are not encoders). */
    private static final Set<String> CAUSAL = Set.of(
            "gpt2",
            "llama",
            "mistral",
            "mixtral",
            "qwen2",
            "qwen3",
            "gemma",
            "gemma2",
            "phi",
            "phi3",
            "gpt_neox",
            "gptj",
            "opt",
            "falcon",
            "bloom",
            "smollm",
            "olmo",
            "starcoder2");

    /** Checks every field and names the bad value. */
    public BertConfig {
        if (family == null) {
            throw new IllegalArgumentException("family is null; use EncoderFamily.BERT, ROBERTA or DISTILBERT");
        }
        if (vocabSize < 1
                || hiddenSize < 1
                || layers < 1
                || heads < 1
                || intermediateSize < 1
                || maxPositions < 1
                || typeVocabSize < 1) {
            throw new IllegalArgumentException("BERT sizes must be >= 1: vocab " + vocabSize + ", hidden " + hiddenSize
                    + ", layers " + layers + ", heads " + heads + ", intermediate " + intermediateSize + ", positions "
                    + maxPositions + ", token types " + typeVocabSize);
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + heads + "; fix config.json");
        }
        if (!(layerNormEps > 0f)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps + "; BERT uses 1e-12");
        }
        if (!(hiddenDropout >= 0f && hiddenDropout < 1f) || !(attentionDropout >= 0f && attentionDropout < 1f)) {
            throw new IllegalArgumentException(
                    "dropouts must be in [0, 1), got hidden " + hiddenDropout + ", attention " + attentionDropout);
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException(
                    "pad_token_id " + padTokenId + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }

    /** The width of one attention head. */
    public int headDim() {
        return hiddenSize / heads;
    }

    /**
     * Reads a checkpoint's {@code config.json}.
     *
     * @param dir the checkpoint directory
     * @return the config
     * @throws IllegalArgumentException when the file is missing, describes another architecture (a causal
     *     language model is named as such) or asks for a setting gold does not implement
     */
    public static BertConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + FILE + " in " + dir + "; pass a Hugging Face encoder directory"
                    + " (config.json, model.safetensors, tokenizer.json)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object; copy the checkpoint's config.json again");
        }
        return parse(json, file.toString());
    }

    /**
     * The config a {@code config.json} object describes.
     *
     * @param json the object
     * @param where the file, for messages
     * @return the config
     */
    public static BertConfig parse(JsonObject json, String where) {
        String type = string(json, "model_type", null);
        if (type == null) {
            throw new IllegalArgumentException(where + " has no model_type; gold's encoders read model_type bert");
        }
        if (CAUSAL.contains(type) || architectures(json).stream().anyMatch(a -> a.endsWith("ForCausalLM"))) {
            throw new IllegalArgumentException(where + " describes a causal language model (model_type " + type
                    + "), not an encoder; an encoder student needs a BERT-family checkpoint (model_type bert), e.g."
                    + " the all-MiniLM-L6-v2 that gold setup installs");
        }
        EncoderFamily family = EncoderFamily.of(type);
        if (family == null) {
            throw new IllegalArgumentException(where + ": model_type " + type + " is not supported; gold's encoders"
                    + " read model_type bert (BERT, MiniLM, BGE, E5), roberta and distilbert");
        }
        if (family == EncoderFamily.DISTILBERT) {
            return distilBert(json, where);
        }
        String act = string(json, "hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(
                    where + ": hidden_act " + act + " is not supported; gold's BERT uses" + " gelu (the erf form)");
        }
        String positions = string(json, "position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException(where + ": position_embedding_type " + positions + " is not supported;"
                    + " gold's BERT uses absolute positions");
        }
        if (json.has("is_decoder") && json.get("is_decoder").getAsBoolean()) {
            throw new IllegalArgumentException(where + ": is_decoder true is not supported; gold's BERT is an encoder");
        }
        return new BertConfig(
                family,
                integer(json, "vocab_size", where),
                integer(json, "hidden_size", where),
                integer(json, "num_hidden_layers", where),
                integer(json, "num_attention_heads", where),
                integer(json, "intermediate_size", where),
                integer(json, "max_position_embeddings", where),
                json.has("type_vocab_size") ? json.get("type_vocab_size").getAsInt() : 2,
                json.has("layer_norm_eps") ? json.get("layer_norm_eps").getAsFloat() : 1e-12f,
                json.has("hidden_dropout_prob")
                        ? json.get("hidden_dropout_prob").getAsFloat()
                        : 0.1f,
                json.has("attention_probs_dropout_prob")
                        ? json.get("attention_probs_dropout_prob").getAsFloat()
                        : 0.1f,
                json.has("pad_token_id") && !json.get("pad_token_id").isJsonNull()
                        ? json.get("pad_token_id").getAsInt()
                        : 0);
    }

    /**
     * DistilBERT's config.json (modeling_distilbert.py's DistilBertConfig keys): {@code dim},
     * {@code n_layers}, {@code n_heads}, {@code hidden_dim}, {@code activation}, {@code dropout},
     * {@code attention_dropout}; LayerNorm epsilon 1e-12 (fixed in its code), one (zero) token type.
     * Sinusoidal positions are read as the stored position embedding they are saved as.
     */
    private static BertConfig distilBert(JsonObject json, String where) {
        String act = string(json, "activation", "gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(where + ": activation " + act + " is not supported; gold's DistilBERT"
                    + " uses gelu (the erf form)");
        }
        return new BertConfig(
                EncoderFamily.DISTILBERT,
                integer(json, "vocab_size", where),
                integer(json, "dim", where),
                integer(json, "n_layers", where),
                integer(json, "n_heads", where),
                integer(json, "hidden_dim", where),
                integer(json, "max_position_embeddings", where),
                1,
                1e-12f,
                json.has("dropout") ? json.get("dropout").getAsFloat() : 0.1f,
                json.has("attention_dropout") ? json.get("attention_dropout").getAsFloat() : 0.1f,
                json.has("pad_token_id") && !json.get("pad_token_id").isJsonNull()
                        ? json.get("pad_token_id").getAsInt()
                        : 0);
    }

    /**
     * The {@code config.json} of this encoder, as Hugging Face's BertModel (RobertaModel, DistilBertModel) writes it.
     *
     * @param dtype the {@code torch_dtype} of the weights beside it ({@code float32}, {@code float16})
     * @return the JSON object
     */
    public JsonObject toJson(String dtype) {
        JsonObject json = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(
                switch (family) {
                    case BERT -> "BertModel";
                    case ROBERTA -> "RobertaModel";
                    case DISTILBERT -> "DistilBertModel";
                });
        json.add("architectures", arch);
        json.addProperty("model_type", family.modelType());
        if (family == EncoderFamily.DISTILBERT) {
            json.addProperty("vocab_size", vocabSize);
            json.addProperty("dim", hiddenSize);
            json.addProperty("n_layers", layers);
            json.addProperty("n_heads", heads);
            json.addProperty("hidden_dim", intermediateSize);
            json.addProperty("activation", "gelu");
            json.addProperty("dropout", hiddenDropout);
            json.addProperty("attention_dropout", attentionDropout);
            json.addProperty("max_position_embeddings", maxPositions);
            json.addProperty("sinusoidal_pos_embds", false);
            json.addProperty("pad_token_id", padTokenId);
            json.addProperty("torch_dtype", dtype);
            return json;
        }
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("hidden_size", hiddenSize);
        json.addProperty("num_hidden_layers", layers);
        json.addProperty("num_attention_heads", heads);
        json.addProperty("intermediate_size", intermediateSize);
        json.addProperty("hidden_act", "gelu");
        json.addProperty("hidden_dropout_prob", hiddenDropout);
        json.addProperty("attention_probs_dropout_prob", attentionDropout);
        json.addProperty("max_position_embeddings", maxPositions);
        json.addProperty("type_vocab_size", typeVocabSize);
        json.addProperty("layer_norm_eps", layerNormEps);
        json.addProperty("pad_token_id", padTokenId);
        json.addProperty("position_embedding_type", "absolute");
        json.addProperty("torch_dtype", dtype);
        return json;
    }

    private static List<String> architectures(JsonObject json) {
        if (!json.has("architectures") || !json.get("architectures").isJsonArray()) {
            return List.of();
        }
        return json.getAsJsonArray("architectures").asList().stream()
                .map(JsonElement::getAsString)
                .toList();
    }

    private static String string(JsonObject json, String key, String fallback) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : fallback;
    }

    private static int integer(JsonObject json, String key, String where) {
        if (!json.has(key)) {
            throw new IllegalArgumentException(where + " has no " + key + "; a BERT config.json needs it");
        }
        return json.get(key).getAsInt();
    }
}
