package ai.goldkd.cli;

import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.io.OutputMode;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Positions;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.model.hf.HfExport;
import ai.goldkd.model.hf.Precision;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.LmTraining;
import ai.goldkd.train.OptimizerKind;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainResult;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** {@code gold lm train} and {@code gold lm sample}: build and query small causal language models. */
final class LmCommand {

    private static final String USAGE = """
            usage: gold lm train --data FILE --out DIR [--resume | --overwrite] [--tokenizer bytes|words|gpt2|hf:PATH]
                                 [--init HFDIR]  (fine-tune a Hugging Face checkpoint; --out receives one)
                                 [--layers N] [--dim N] [--heads N] [--mlp N] [--context N]
                                 [--positions learned|rotary] [--dropout P]
                                 [--steps N] [--warmup N] [--batch N] [--accum N] [--lr X] [--min-lr X]
                                 [--schedule cosine|linear|constant] [--weight-decay X] [--clip X]
                                 [--eval-every N] [--eval-fraction X] [--patience N] [--seed S]
                                 [--fused-head N]  (the head and loss fused, N positions a chunk: no logits)
                                 [--optimizer adamw|adamw-djl]  (adamw-djl: runs made before 2026-12-03)
                   gold lm sample --model DIR|hf:DIR --prompt TEXT [--max-new-tokens N] [--temperature T]
                                 [--top-k K] [--top-p P] [--seed S] [--n N] [--no-cache] [--dtype fp32|fp16]
            """;

    private LmCommand() {}

    static int run(String[] args) {
        if (args.length == 0) {
            throw new UsageException("lm needs a subcommand\n" + USAGE);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "train" -> train(new Args("lm train", rest, Set.of("resume", "overwrite")));
            case "sample" -> sample(new Args("lm sample", rest, Set.of("no-cache")));
            default -> throw new UsageException("unknown lm subcommand '" + args[0] + "'\n" + USAGE);
        };
    }

    private static int train(Args a) {
        Path data = Path.of(a.required("data"));
        Path out = Path.of(a.required("out"));
        boolean resume = a.flag("resume");
        boolean overwrite = a.flag("overwrite");
        if (resume && overwrite) {
            throw new UsageException(
                    "lm train: --resume continues the run in --out and --overwrite deletes it; give one");
        }
        // on resume, the shape options only say what the checkpoint must be, so note whether any was given
        boolean shapeGiven = Stream.of("layers", "dim", "heads", "mlp", "context", "positions", "dropout")
                .anyMatch(a::given);
        String init = a.string("init", null);
        String tokenizerSpec = a.string("tokenizer", "bytes");
        TransformerConfig d = TransformerConfig.defaults();
        Positions positions = switch (a.string("positions", "learned")) {
            case "learned" -> Positions.LEARNED;
            case "rotary" -> Positions.ROTARY;
            default -> throw new UsageException("lm train: --positions must be learned or rotary");
        };
        TransformerConfig config = new TransformerConfig(
                a.integer("layers", d.layers()),
                a.integer("dim", d.dim()),
                a.integer("heads", d.heads()),
                a.integer("mlp", d.mlpDim()),
                d.vocab(),
                a.integer("context", d.context()),
                a.real("dropout", d.dropout()),
                positions,
                true);
        TrainConfig t = TrainConfig.defaults();
        Schedule schedule = switch (a.string("schedule", "cosine")) {
            case "cosine" -> Schedule.COSINE;
            case "linear" -> Schedule.LINEAR;
            case "constant" -> Schedule.CONSTANT;
            default -> throw new UsageException("lm train: --schedule must be cosine, linear or constant");
        };
        int steps = a.integer("steps", t.maxSteps());
        float lr = a.real("lr", t.learningRate());
        TrainConfig train = new TrainConfig(
                lr,
                a.real("min-lr", lr / 10),
                a.real("weight-decay", t.weightDecay()),
                a.integer("warmup", Math.min(t.warmupSteps(), steps / 10)),
                steps,
                schedule,
                a.integer("batch", t.batchSize()),
                a.integer("accum", t.gradAccumulation()),
                a.real("clip", t.clipNorm()),
                a.integer("eval-every", 100),
                a.integer("patience", 0),
                a.longValue("seed", t.seed()),
                10,
                optimizer(a.string("optimizer", t.optimizer().label())));
        double evalFraction = a.real("eval-fraction", 0.05f);
        a.done(List.of(
                "--data",
                "--out",
                "--resume",
                "--overwrite",
                "--init",
                "--tokenizer",
                "--layers",
                "--dim",
                "--heads",
                "--mlp",
                "--context",
                "--positions",
                "--dropout",
                "--steps",
                "--warmup",
                "--batch",
                "--accum",
                "--lr",
                "--min-lr",
                "--schedule",
                "--weight-decay",
                "--clip",
                "--eval-every",
                "--eval-fraction",
                "--patience",
                "--seed",
                "--fused-head",
                "--optimizer"));

        int fusedHead = a.integer("fused-head", 0);
        if (fusedHead < 0) {
            throw new UsageException("lm train: --fused-head " + fusedHead + " must be >= 0 positions per chunk"
                    + " (0 computes the logits whole); try --fused-head 256");
        }
        List<String> documents = readDocuments(data);
        if (init != null) {
            return fineTune(documents, init, a.integer("context", 0), train, evalFraction, out, resume, fusedHead);
        }
        // Resuming uses the checkpoint's tokenizer and model; the options given for them are not used.
        Tokenizer tokenizer = resume ? null : tokenizer(tokenizerSpec, documents);
        System.out.printf(
                Locale.ROOT,
                "%d documents, %s, device %s%n",
                documents.size(),
                resume
                        ? "resuming from the checkpoint in " + out
                        : "tokenizer " + tokenizerSpec + " (vocab " + tokenizer.vocabSize() + ")",
                Devices.choose());
        OutputMode mode = resume ? OutputMode.RESUME : overwrite ? OutputMode.OVERWRITE : OutputMode.NEW;
        TrainResult result = LmTraining.train(
                documents, tokenizer, resume && !shapeGiven ? null : config, train, evalFraction, out, mode, fusedHead);
        System.out.printf(
                Locale.ROOT,
                "steps %d, last loss %.4f, best held-out loss %.4f at step %d, %.0f tokens/s%n",
                result.steps(),
                result.lastLoss(),
                result.bestScore(),
                result.bestStep(),
                result.tokensPerSecond());
        System.out.println("checkpoint: " + out
                + (Double.isNaN(result.bestScore()) ? "" : " (best: " + out.resolve("best") + ")"));
        return 0;
    }

    private static OptimizerKind optimizer(String label) {
        try {
            return OptimizerKind.parse(label);
        } catch (IllegalArgumentException e) {
            throw new UsageException("lm train: --" + e.getMessage());
        }
    }

    /** {@code --init}: fine-tunes a Hugging Face checkpoint; the shape options do not apply. */
    private static int fineTune(
            List<String> documents,
            String init,
            int context,
            TrainConfig train,
            double evalFraction,
            Path out,
            boolean resume,
            int fusedHead) {
        if (resume) {
            throw new UsageException("lm train: --init starts from a Hugging Face checkpoint; to continue a fine-tune,"
                    + " pass --init " + out + " and a new --out");
        }
        HfExport.checkEmpty(out);
        System.out.printf(
                Locale.ROOT, "%d documents, fine-tuning %s, device %s%n", documents.size(), init, Devices.choose());
        TrainResult result = LmTraining.fineTune(documents, init, context, train, evalFraction, out, fusedHead);
        System.out.printf(
                Locale.ROOT,
                "steps %d, last loss %.4f, best held-out loss %.4f at step %d, %.0f tokens/s%n",
                result.steps(),
                result.lastLoss(),
                result.bestScore(),
                result.bestStep(),
                result.tokensPerSecond());
        System.out.println("Hugging Face checkpoint: " + out);
        return 0;
    }

    static Tokenizer tokenizer(String spec, List<String> documents) {
        if (spec.startsWith("hf:")) {
            return Tokenizers.huggingFace(Path.of(spec.substring(3)));
        }
        return switch (spec) {
            case "bytes" -> Tokenizers.bytes();
            case "words" -> Tokenizers.words(documents);
            case "gpt2" -> Tokenizers.gpt2();
            default ->
                throw new UsageException("--tokenizer '" + spec + "' is unknown; use bytes, words, gpt2 or hf:PATH");
        };
    }

    /**
     * Reads documents: a JSONL file ({@code .jsonl}) with a {@code text} field per line, or plain text
     * with one document per line. Blank lines are skipped.
     *
     * @param file the file
     * @return the documents
     */
    static List<String> readDocuments(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--data " + file + " does not exist");
        }
        List<String> docs = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean jsonl = file.toString().endsWith(".jsonl");
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                if (!jsonl) {
                    docs.add(line);
                    continue;
                }
                try {
                    JsonElement text =
                            JsonParser.parseString(line).getAsJsonObject().get("text");
                    if (text == null || !text.isJsonPrimitive()) {
                        throw new UsageException(file + " line " + (i + 1) + " has no string field \"text\"");
                    }
                    docs.add(text.getAsString());
                } catch (RuntimeException e) {
                    if (e instanceof UsageException u) {
                        throw u;
                    }
                    throw new UsageException(file + " line " + (i + 1) + " is not a JSON object: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (docs.isEmpty()) {
            throw new UsageException("--data " + file + " holds no documents (empty corpus)");
        }
        return docs;
    }

    private static int sample(Args a) {
        String model = a.required("model");
        Precision precision = Precision.parse(a.string("dtype", "fp32"));
        String prompt = a.required("prompt");
        SamplingConfig config = new SamplingConfig(
                a.integer("max-new-tokens", 64),
                a.real("temperature", 1f),
                a.integer("top-k", 0),
                a.real("top-p", 1f),
                a.longValue("seed", 0L),
                List.of(),
                !a.flag("no-cache"));
        int n = a.integer("n", 1);
        a.done(List.of(
                "--model",
                "--prompt",
                "--max-new-tokens",
                "--temperature",
                "--top-k",
                "--top-p",
                "--seed",
                "--n",
                "--no-cache",
                "--dtype"));
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Sampler sampler;
            if (model.startsWith(HfCheckpoint.SCHEME) || !Checkpoint.exists(Path.of(model))) {
                HfCheckpoint hf = HfCheckpoint.load(
                        model, manager, HfCheckpoint.Options.defaults().withPrecision(precision));
                sampler = new Sampler(hf.model(), hf.tokenizer());
            } else {
                Checkpoint checkpoint = Checkpoint.load(Path.of(model), manager);
                sampler = new Sampler(checkpoint.languageModel(), checkpoint.tokenizer());
            }
            long start = System.nanoTime();
            List<Generation> out = sampler.generate(Collections.nCopies(n, prompt), config);
            double seconds = (System.nanoTime() - start) / 1e9;
            int tokens = 0;
            for (Generation g : out) {
                System.out.println(prompt + g.text());
                tokens += g.tokens().length;
            }
            System.err.printf(
                    Locale.ROOT,
                    "%d tokens in %.2f s (%.1f tokens/s, %s)%n",
                    tokens,
                    seconds,
                    tokens / seconds,
                    config.useCache() ? "KV cache" : "no cache");
        }
        return 0;
    }
}
