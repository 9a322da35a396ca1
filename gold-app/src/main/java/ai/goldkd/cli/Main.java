package ai.goldkd.cli;

import java.util.Arrays;

/**
 * The entry point of the {@code gold} command: dispatches to one class per subcommand.
 * Set-up, notebooks and tests are shell subcommands of {@code environment/gold}; the rest land here.
 */
public final class Main {

    private Main() {}

    /**
     * Runs a subcommand and exits with its status.
     *
     * @param args the subcommand and its arguments
     */
    public static void main(String[] args) {
        boolean debug =
                "1".equals(System.getenv("GOLD_DEBUG")) || Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        int status;
        try {
            status = run(rest);
        } catch (Throwable e) {
            // Bad input and broken files: the message names the value and the fix; a stack trace would bury it.
            System.err.println("gold: " + Errors.describe(e));
            if (debug) {
                e.printStackTrace();
            }
            status = Errors.status(e);
        }
        System.exit(status);
    }

    /**
     * Runs a subcommand.
     *
     * @param args the subcommand and its arguments
     * @return the exit status
     * @throws Exception when the subcommand fails
     */
    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.println(usage());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "env" -> EnvCommand.run(rest);
            case "data" -> DataCommand.run(rest);
            case "lm" -> LmCommand.run(rest);
            case "bench" -> BenchCommand.run(rest);
            case "serve" -> ServeCommand.run(rest);
            case "generate" -> GenerateCommand.run(rest);
            case "distill" -> DistillCommand.run(rest);
            case "run" -> RunCommand.run(rest);
            case "report" -> ReportCommand.run(rest);
            case "teacher" -> TeacherCommand.run(rest);
            case "export" -> ExportCommand.run(rest);
            case "model" -> ModelCommand.run(rest);
            default -> throw new UsageException("unknown command '" + args[0] + "'\n" + usage());
        };
    }

    static String usage() {
        return """
                usage: gold COMMAND [options] [--debug]

                  setup      install everything the project needs (idempotent)
                  run        GOLD and its baselines: [PRESET ...] --out DIR [--budget B] [--seeds N] (--help)
                  report     DIR... [--out FILE.html]: the report page over finished or running runs (--help)
                  notebook   start Jupyter Notebook on 127.0.0.1, opened on notebooks/
                  test       run the whole test suite
                  env        show the DJL engine and device, and check a tensor op
                  data       fetch | list | show TASK [--n N]: the data sets and task files
                  lm         train a small causal LM on a text file (or fine-tune --init HFDIR), or sample from one
                  export     --model DIR --out HFDIR [--dtype]: write a model as a Hugging Face directory
                  bench      training, sampling, scoring and JSD figures [--quick] [--compare]
                  serve      serve a model over an OpenAI-compatible HTTP API on 127.0.0.1
                  generate   sample from an OpenAI-compatible endpoint or a local model
                  distill    --config FILE.json --out DIR: one distillation regime (SFT, KD, SeqKD, GKD)
                  teacher    build imdb|arithmetic|arithmetic-writer, report imdb|arithmetic-writer: the offline teachers
                  model      setup minilm [--jar FILE] [--out DIR]: convert the embedded all-MiniLM-L6-v2 encoder

                An error prints one line, gold: CAUSE; FIX, and exits non-zero; --debug (or GOLD_DEBUG=1) adds the stack trace.
                """;
    }
}
