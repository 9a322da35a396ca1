package ai.goldkd.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.CheckpointTokenizer;
import ai.goldkd.tokenizer.HfTokenizer;
import ai.goldkd.tokenizer.SpecialTokens;
import ai.goldkd.tokenizer.Tokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes gold's own {@link CausalLm} as the Hugging Face family it matches exactly, or says why none:
 * with learned positions it is GPT-2 with {@code activation_function: "gelu"} (pre-LayerNorm with
 * eps 1e-5, a fused biased qkv projection, exact-erf GELU MLP, final LayerNorm), its Linear weights
 * transposed to GPT-2's Conv1D (in, out) layout. With rotary positions it is no family gold writes:
 * Llama needs RMSNorm and a SwiGLU MLP, GPT-2 learned positions.
 */
public final class CausalLmExport {

    private CausalLmExport() {}

    /**
     * Why a model cannot be exported, or null when it can.
     *
     * @param lm the model
     * @param tokenizer its tokenizer
     * @return the reason, or null
     */
    public static String whyNot(CausalLm lm, Tokenizer tokenizer) {
        if (lm.config().positions() == Positions.ROTARY) {
            return "this model uses rotary positions with LayerNorm and a GELU MLP, which matches no Hugging Face"
                    + " family gold writes exactly (llama needs RMSNorm and SwiGLU, gpt2 learned positions);"
                    + " train it with --positions learned to export it as gpt2";
        }
        if (!(tokenizer instanceof HfTokenizer)) {
            return "its tokenizer (" + tokenizer.getClass().getSimpleName() + ") has no tokenizer.json form that"
                    + " transformers loads; train with a Hugging Face tokenizer.json (--tokenizer) to export";
        }
        return null;
    }

    /**
     * Writes the model as a GPT-2 directory.
     *
     * @param lm the model, with learned positions
     * @param tokenizer its tokenizer, a Hugging Face one
     * @param out the directory
     * @param dtype the stored type
     * @return out
     */
    public static Path write(CausalLm lm, Tokenizer tokenizer, Path out, DType dtype) {
        String why = whyNot(lm, tokenizer);
        if (why != null) {
            throw new IllegalArgumentException("cannot export: " + why);
        }
        TransformerConfig c = lm.config();
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        entries.add(entry("wte.weight", param(lm, "wte"), false, dtype));
        entries.add(entry("wpe.weight", param(lm, "wpe"), false, dtype));
        for (int i = 0; i < c.layers(); i++) {
            Block g = lm.getChildren().valueAt(i);
            String h = "h." + i + ".";
            entries.add(entry(h + "ln_1.weight", param(g, "ln1_gamma"), false, dtype));
            entries.add(entry(h + "ln_1.bias", param(g, "ln1_beta"), false, dtype));
            entries.add(entry(h + "attn.c_attn.weight", param(g, "qkv_weight"), true, dtype));
            entries.add(entry(h + "attn.c_attn.bias", param(g, "qkv_bias"), false, dtype));
            entries.add(entry(h + "attn.c_proj.weight", param(g, "proj_weight"), true, dtype));
            entries.add(entry(h + "attn.c_proj.bias", param(g, "proj_bias"), false, dtype));
            entries.add(entry(h + "ln_2.weight", param(g, "ln2_gamma"), false, dtype));
            entries.add(entry(h + "ln_2.bias", param(g, "ln2_beta"), false, dtype));
            entries.add(entry(h + "mlp.c_fc.weight", param(g, "fc_weight"), true, dtype));
            entries.add(entry(h + "mlp.c_fc.bias", param(g, "fc_bias"), false, dtype));
            entries.add(entry(h + "mlp.c_proj.weight", param(g, "out_weight"), true, dtype));
            entries.add(entry(h + "mlp.c_proj.bias", param(g, "out_bias"), false, dtype));
        }
        entries.add(entry("ln_f.weight", param(lm, "ln_f_gamma"), false, dtype));
        entries.add(entry("ln_f.bias", param(lm, "ln_f_beta"), false, dtype));
        if (!c.tiedHead()) {
            entries.add(entry("lm_head.weight", param(lm, "head"), false, dtype));
        }
        HfTokenizer tok = (HfTokenizer) tokenizer;
        JsonObject config = new JsonObject();
        config.addProperty("model_type", Family.GPT2.modelType());
        JsonArray arch = new JsonArray();
        arch.add(Family.GPT2.architecture());
        config.add("architectures", arch);
        config.addProperty("vocab_size", c.vocab());
        config.addProperty("n_embd", c.dim());
        config.addProperty("n_layer", c.layers());
        config.addProperty("n_head", c.heads());
        config.addProperty("n_positions", c.context());
        config.addProperty("n_inner", c.mlpDim());
        config.addProperty("activation_function", "gelu");
        config.addProperty("layer_norm_epsilon", 1e-5);
        config.addProperty("resid_pdrop", c.dropout());
        config.addProperty("embd_pdrop", c.dropout());
        config.addProperty("attn_pdrop", c.dropout());
        config.addProperty("tie_word_embeddings", c.tiedHead());
        config.addProperty("bos_token_id", tok.specials().bos());
        config.addProperty("eos_token_id", tok.specials().eos());
        config.addProperty("pad_token_id", tok.specials().pad());
        HfExport.write(config, entries, new ExportedTokenizer(tok), null, out, dtype);
        return out;
    }

    private static NDArray param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("CausalLm has no parameter " + name + "; its layout changed: update "
                    + CausalLmExport.class.getSimpleName());
        }
        return p.getArray();
    }

    private static SafetensorsWriter.Entry entry(String name, NDArray array, boolean transpose, DType dtype) {
        // gold's Linear weights are (out, in); GPT-2's Conv1D stores (in, out).
        return new SafetensorsWriter.Entry(name, transpose ? array.transpose() : array, dtype);
    }

    /**
     * The tokenizer files of a gold model for transformers: its tokenizer.json with a post-processor
     * that puts BOS in front (as gold's sampler does) and a tokenizer_config.json naming the specials.
     */
    private record ExportedTokenizer(HfTokenizer tok) implements Tokenizer {

        @Override
        public int[] encode(String text) {
            return tok.encode(text);
        }

        @Override
        public String decode(int[] ids) {
            return tok.decode(ids);
        }

        @Override
        public int vocabSize() {
            return tok.vocabSize();
        }

        @Override
        public SpecialTokens specials() {
            return tok.specials();
        }

        @Override
        public void save(Path dir) {
            try {
                JsonObject json = JsonParser.parseString(Files.readString(tok.file(), StandardCharsets.UTF_8))
                        .getAsJsonObject();
                String bos = tok.names().bos();
                JsonObject post = new JsonObject();
                post.addProperty("type", "TemplateProcessing");
                post.add(
                        "single",
                        JsonParser.parseString("[{\"SpecialToken\": {\"id\": " + quote(bos)
                                + ", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}]"));
                post.add(
                        "pair",
                        JsonParser.parseString("[{\"SpecialToken\": {\"id\": " + quote(bos)
                                + ", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
                                + " {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}]"));
                JsonObject special = new JsonObject();
                JsonObject entry = new JsonObject();
                entry.addProperty("id", bos);
                JsonArray ids = new JsonArray();
                ids.add(tok.specials().bos());
                entry.add("ids", ids);
                JsonArray tokens = new JsonArray();
                tokens.add(bos);
                entry.add("tokens", tokens);
                special.add(bos, entry);
                post.add("special_tokens", special);
                json.add("post_processor", post);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("tokenizer.json"), json.toString(), StandardCharsets.UTF_8);
                JsonObject config = new JsonObject();
                config.addProperty("bos_token", bos);
                config.addProperty("eos_token", tok.names().eos());
                config.addProperty("pad_token", tok.names().pad());
                config.addProperty("add_bos_token", true);
                config.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
                Files.writeString(dir.resolve(CheckpointTokenizer.CONFIG), config.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the tokenizer files to " + dir, e);
            }
        }

        private static String quote(String s) {
            return new JsonPrimitive(s).toString();
        }
    }
}
