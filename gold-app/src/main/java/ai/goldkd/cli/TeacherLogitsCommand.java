package ai.goldkd.cli;

import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.LocalTopK;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.OpenAiConfig;
import ai.goldkd.teacher.RemoteTeacher;
import ai.goldkd.teacher.TopKCache;
import ai.goldkd.teacher.TopKCaching;
import ai.goldkd.teacher.TopKTeacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.distill.DistillationBatches;
import ai.goldkd.train.distill.PromptExample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gold teacher logits --teacher DIR|URL --data FILE --top-k K --out CACHE}: runs a teacher once
 * over a task's data (each example's BOS + prompt + answer + EOS, as supervised KD trains on it) and
 * stores its top-k log-probabilities in a {@link TopKCache}, which {@code gold distill} with
 * {@code "teacherCache": CACHE} trains from. A cache that a killed run left is continued.
 */
final class TeacherLogitsCommand {

    static final String USAGE = """
            usage: gold teacher logits --teacher DIR|URL --data FILE --top-k K --out CACHE [--task NAME]
                                       [--temperature T] [--batch N] [--limit N]
                                       (URL: [--model NAME] --tokenizer DIR [--protocol prompt_logprobs|echo]
                                        [--context N] [--retries N] [--timeout S])
            """;
    private static final List<String> KNOWN = List.of(
            "--teacher",
            "--data",
            "--top-k",
            "--out",
            "--task",
            "--temperature",
            "--batch",
            "--limit",
            "--model",
            "--tokenizer",
            "--protocol",
            "--context",
            "--retries",
            "--timeout");

    private TeacherLogitsCommand() {}

    static int run(Args a) {
        String teacherArg = a.required("teacher");
        Path data = Path.of(a.required("data"));
        int k = a.integer("top-k", 20, 1, 1 << 24);
        Path out = Checkpoint.path(a.required("out"));
        String taskName = a.string("task", "arithmetic-answer");
        float temperature = a.real("temperature", 1f);
        int batch = a.integer("batch", 16, 1, 4096);
        int limit = a.integer("limit", 0, 0, Integer.MAX_VALUE);
        boolean remote = teacherArg.startsWith("http://") || teacherArg.startsWith("https://");
        String model = a.string("model", "gold");
        String tokenizerDir = a.string("tokenizer", null);
        String protocolName = a.string("protocol", "prompt_logprobs");
        int context = a.integer("context", 4096, 2, 1 << 24);
        int retries = a.integer("retries", 5, 0, 100);
        int timeout = a.integer("timeout", 120, 1, 86400);
        a.done(KNOWN);
        Task task = TaskCatalog.locate().task(taskName);
        List<PromptExample> examples = PromptExample.of(task, Jsonl.read(data));
        if (limit > 0 && limit < examples.size()) {
            examples = examples.subList(0, limit);
        }
        LocalTeacher local = null;
        RemoteTeacher endpoint = null;
        try {
            Tokenizer tokenizer;
            TopKTeacher teacher;
            if (remote) {
                if (tokenizerDir == null) {
                    throw new UsageException("teacher logits: an endpoint gives no tokenizer; add --tokenizer DIR (a"
                            + " checkpoint whose tokenizer the endpoint's model reads)");
                }
                if (temperature != 1f) {
                    throw new UsageException("teacher logits: an endpoint's log-probabilities are at temperature 1;"
                            + " drop --temperature " + temperature);
                }
                RemoteTeacher.Protocol protocol = switch (protocolName) {
                    case "prompt_logprobs" -> RemoteTeacher.Protocol.PROMPT_LOGPROBS;
                    case "echo" -> RemoteTeacher.Protocol.ECHO;
                    default ->
                        throw new UsageException("teacher logits: --protocol " + protocolName + " is unknown;"
                                + " use prompt_logprobs (vLLM, ids) or echo (OpenAI, texts)");
                };
                tokenizer = Tokenizers.load(Checkpoint.path(tokenizerDir));
                OpenAiConfig config = OpenAiConfig.defaults(teacherArg, model)
                        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(timeout))
                        .withRetries(retries, Duration.ofMillis(500), Duration.ofSeconds(30));
                endpoint = new RemoteTeacher(
                        new OpenAiClient(config), tokenizer, tokenizer.vocabSize(), context, k, protocol);
                teacher = endpoint;
            } else {
                if (a.given("protocol") || tokenizerDir != null) {
                    throw new UsageException("teacher logits: --protocol and --tokenizer are for an endpoint; a model"
                            + " directory brings its own tokenizer");
                }
                local = LocalTeacher.load(Checkpoint.path(teacherArg));
                tokenizer = local.tokenizer();
                teacher = new LocalTopK(
                        local,
                        k,
                        temperature,
                        Checkpoint.path(teacherArg).toAbsolutePath().toString());
            }
            List<int[]> sequences = new ArrayList<>(examples.size());
            for (PromptExample e : examples) {
                int[] prompt = DistillationBatches.promptIds(tokenizer, e.prompt());
                int[] answer = DistillationBatches.answerIds(tokenizer, e.answer());
                int[] whole = new int[prompt.length + answer.length];
                System.arraycopy(prompt, 0, whole, 0, prompt.length);
                System.arraycopy(answer, 0, whole, prompt.length, answer.length);
                sequences.add(whole);
            }
            TopKCache.Meta meta = new TopKCache.Meta(
                    1, teacher.identity(), TopKCaching.fingerprint(tokenizer), tokenizer.vocabSize(), k, temperature);
            long started = System.nanoTime();
            try (TopKCache cache = TopKCache.create(out, meta)) {
                int computed = TopKCaching.fill(teacher, sequences, cache, batch);
                System.out.printf(
                        Locale.ROOT,
                        "cached %d sequences (%d computed now, %.1f s) at top-%d in %s:" + " %.1f bytes per token%n",
                        cache.size(),
                        computed,
                        (System.nanoTime() - started) / 1e9,
                        k,
                        out,
                        cache.bytesPerToken());
            }
            if (endpoint != null) {
                System.out.println("endpoint: " + endpoint.clientStats());
            }
            return 0;
        } finally {
            if (local != null) {
                local.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }
}
