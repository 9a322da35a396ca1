package ai.goldkd.cli;

import ai.djl.ndarray.NDManager;
import ai.goldkd.hf.DType;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.hf.CausalLmExport;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.model.hf.HfExport;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code gold export}: writes a model as a Hugging Face directory that transformers and vLLM load. */
final class ExportCommand {

    private static final String USAGE = """
            usage: gold export --model DIR --out HFDIR [--dtype fp32|fp16|bf16]
              --model DIR   a Hugging Face directory (hf:DIR or a path: written back to its family) or a gold
                            checkpoint (gold lm train --out DIR: written as gpt2 when it matches exactly)
              --out HFDIR   a new or empty directory
              --dtype T     the stored type of the weights; default the source's (fp32 for a gold checkpoint)
            """;

    private ExportCommand() {}

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            throw new UsageException("export needs --model and --out\n" + USAGE);
        }
        Args a = new Args("export", args, Set.of());
        String model = a.required("model");
        Path out = Path.of(a.required("out"));
        String dtype = a.string("dtype", null);
        a.done(List.of("--model", "--out", "--dtype"));
        HfExport.checkEmpty(out);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            if (model.startsWith(HfCheckpoint.SCHEME) || !Checkpoint.exists(Path.of(model))) {
                HfCheckpoint hf = HfCheckpoint.load(model, manager, HfCheckpoint.Options.defaults());
                DType type = dtype == null ? HfExport.sourceType(hf.dir()) : DType.ofTorchName(dtype);
                HfExport.write(hf.model(), hf.tokenizer(), hf.dir(), out, type);
                hf.tokenizer().close();
                System.out.println("wrote " + hf.config().family().modelType() + " (" + type + ") to " + out);
                return 0;
            }
            Checkpoint checkpoint = Checkpoint.load(Path.of(model), manager);
            if (!(checkpoint.block() instanceof CausalLm lm)) {
                throw new UsageException("export: " + model + " holds a classifier; only language models export");
            }
            String why = CausalLmExport.whyNot(lm, checkpoint.tokenizer());
            if (why != null) {
                throw new UsageException("export: cannot export " + model + ": " + why);
            }
            DType type = dtype == null ? DType.F32 : DType.ofTorchName(dtype);
            CausalLmExport.write(lm, checkpoint.tokenizer(), out, type);
            System.out.println("wrote gpt2 (" + type + ") to " + out);
            return 0;
        }
    }
}
