package ai.goldkd.cli;

import ai.goldkd.gold.TeacherSpec;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationException;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.OpenAiConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code gold generate}: samples from an OpenAI-compatible endpoint or a local model and prints them. */
final class GenerateCommand {

    private static final String USAGE = """
            usage: gold generate --prompt TEXT [--n N] (--endpoint URL --model NAME | --local DIR)
                                 [--max-tokens N] [--temperature T] [--top-p P] [--top-k K] [--seed S]
                                 [--stop TEXT] [--chat] [--key-env VAR] [--timeout S] [--retries N]
              --endpoint URL   the API root up to /v1, e.g. http://127.0.0.1:8000/v1 (gold serve prints it)
              --key-env VAR    the variable holding the API key (default OPENAI_API_KEY; unset: no key sent)
              --chat           use /chat/completions instead of /completions
              --timeout S      the longest wait for one answer, in seconds (default 120)
              --retries N      retries of a failed request (default 5)
            """;

    private GenerateCommand() {}

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            throw new UsageException("generate needs --prompt and --endpoint or --local, or --task\n" + USAGE
                    + TaskGenerateCommand.USAGE);
        }
        if (Arrays.asList(args).contains("--task")) {
            return TaskGenerateCommand.run(args);
        }
        Args a = new Args("generate", args, Set.of("chat"));
        String prompt = a.required("prompt");
        String endpoint = a.string("endpoint", null);
        String model = a.string("model", null);
        String local = a.string("local", null);
        String stop = a.string("stop", null);
        String seed = a.string("seed", null);
        GenerationRequest request;
        try {
            request = new GenerationRequest(
                    prompt,
                    a.integer("n", 1),
                    a.integer("max-tokens", 64),
                    a.real("temperature", 1f),
                    a.real("top-p", 1f),
                    a.integer("top-k", 0),
                    stop == null ? List.of() : List.of(stop),
                    true,
                    0,
                    seed == null ? null : Long.parseLong(seed));
        } catch (NumberFormatException e) {
            throw new UsageException("generate: --seed wants an integer, got '" + seed + "'");
        }
        boolean chat = a.flag("chat");
        String keyEnv = a.string("key-env", OpenAiConfig.DEFAULT_KEY_ENV);
        Integer retries = a.optionalInteger("retries", 0, 100);
        Double timeout = a.optionalSeconds("timeout");
        a.done(List.of(
                "--prompt",
                "--n",
                "--endpoint",
                "--model",
                "--local",
                "--max-tokens",
                "--temperature",
                "--top-p",
                "--top-k",
                "--seed",
                "--stop",
                "--chat",
                "--key-env",
                "--timeout",
                "--retries"));
        if ((endpoint == null) == (local == null)) {
            throw new UsageException("generate: give either --endpoint URL --model NAME or --local DIR\n" + USAGE);
        }
        if (endpoint != null) {
            if (model == null) {
                throw new UsageException(
                        "generate: --endpoint needs --model NAME (GET " + endpoint + "/models lists them)");
            }
            OpenAiConfig config = TeacherSpec.endpoint(endpoint, model)
                    .withClient(timeout, retries)
                    .clientConfig()
                    .withApi(chat ? OpenAiConfig.Api.CHAT : OpenAiConfig.Api.COMPLETIONS)
                    .withApiKeyEnv(keyEnv);
            try (OpenAiClient client = new OpenAiClient(config)) {
                client.checkReachable();
                print(client, request);
                System.err.println(client.stats());
            }
        } else {
            if (timeout != null || retries != null) {
                throw new UsageException("generate: --timeout and --retries go with --endpoint; a --local model"
                        + " answers in process");
            }
            if (model != null || chat) {
                throw new UsageException(
                        "generate: --model and --chat go with --endpoint; --local reads the prompt as is");
            }
            try (LocalTeacher teacher = LocalTeacher.load(Path.of(local))) {
                print(teacher, request);
            }
        }
        return 0;
    }

    private static void print(Generator generator, GenerationRequest request) {
        List<Completion> out;
        try {
            out = generator.generate(request);
        } catch (GenerationException e) {
            throw new IllegalStateException(e.getMessage(), e); // the message says what failed; no stack trace
        }
        for (int i = 0; i < out.size(); i++) {
            Completion c = out.get(i);
            double logprob = c.totalLogprob();
            System.out.printf(
                    Locale.ROOT,
                    "--- sample %d (%s%s)%n%s%n",
                    i,
                    c.finishReason(),
                    Double.isNaN(logprob) ? "" : String.format(Locale.ROOT, ", logprob %.2f", logprob),
                    c.text());
        }
    }
}
