package ai.goldkd.cli;

import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskKind;
import ai.goldkd.gold.GoldTeachers;
import ai.goldkd.gold.TeacherKind;
import ai.goldkd.gold.TeacherSpec;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.prompt.PromptTemplates;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code gold generate --task TASK}: samples of a task as the GOLD loop asks for them (the task's
 * prompt with its few-shot examples, labels drawn uniformly), parsed by the task's rules; accepted
 * samples go to standard output as JSONL, the reject count by reason to standard error.
 */
final class TaskGenerateCommand {

    static final String USAGE = """
            usage: gold generate --task TASK [--n N] [--teacher NAME | --endpoint URL --model NAME]
                                 [--ood] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--templates DIR]
              --task     a task of datasets/ (gold data list), e.g. imdb-sentiment
              --teacher  an offline teacher: imdb (default), imdb-cache, imdb-transformer, arithmetic-writer
              --ood      the OOD-validation prompt ("clearly different from the examples")
              --timeout S, --retries N   with --endpoint: the longest wait for one answer, retries of a failed one
            """;

    private TaskGenerateCommand() {}

    static int run(String[] args) {
        Args a = new Args("generate", args, Set.of("ood"));
        Task task = TaskCatalog.locate().task(a.required("task"));
        int n = a.integer("n", 10);
        String endpoint = a.string("endpoint", null);
        String model = a.string("model", null);
        String teacherName = a.string("teacher", "imdb");
        boolean ood = a.flag("ood");
        long seed = a.longValue("seed", 1);
        String templates = a.string("templates", null);
        TeacherSpec defaults = endpoint == null
                ? TeacherSpec.offline(offline(teacherName))
                : TeacherSpec.endpoint(endpoint, requireModel(model, endpoint));
        TeacherSpec spec = defaults.withSampling(
                        a.real("temperature", defaults.temperature()),
                        a.integer("top-k", defaults.topK()),
                        a.real("top-p", defaults.topP()))
                .withClient(a.optionalSeconds("timeout"), a.optionalInteger("retries", 0, 100));
        a.done(List.of(
                "--task",
                "--n",
                "--teacher",
                "--endpoint",
                "--model",
                "--ood",
                "--temperature",
                "--top-k",
                "--top-p",
                "--seed",
                "--templates",
                "--timeout",
                "--retries"));
        if (n < 1) {
            throw new UsageException("generate: --n must be >= 1, got " + n);
        }
        Prompts prompts = new Prompts(
                task, templates == null ? PromptTemplates.defaults() : PromptTemplates.load(Path.of(templates)));
        Random labels = new Random(seed);
        List<GenerationRequest> requests = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = task.kind() == TaskKind.CLASSIFICATION
                    ? task.labelNames().get(labels.nextInt(task.labelNames().size()))
                    : null;
            asked.add(label);
            requests.add(new GenerationRequest(
                    prompts.generation(label, task.examples(), ood),
                    1,
                    spec.maxTokens(),
                    spec.temperature(),
                    spec.topP(),
                    spec.topK(),
                    prompts.stops(),
                    false,
                    0,
                    seed * 1_000L + i));
        }
        List<Example> accepted = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        Parsing parsing = new Parsing(task);
        try (GoldTeachers.Opened teacher = GoldTeachers.open(spec, false)) {
            List<GenerationResult> results = teacher.generator().generateAll(requests);
            for (int i = 0; i < n; i++) {
                GenerationResult r = results.get(i);
                if (!r.ok()) {
                    rejected.merge("request-failed", 1, Integer::sum);
                    continue;
                }
                Parsing.Outcome o = parsing.parse(
                        prompts, asked.get(i), r.completions().get(0).text());
                if (o.accepted()) {
                    accepted.add(o.sample());
                } else {
                    rejected.merge(o.reason(), 1, Integer::sum);
                }
            }
        }
        System.out.print(Jsonl.format(accepted));
        System.err.println(accepted.size() + " accepted, "
                + rejected.values().stream().mapToInt(Integer::intValue).sum() + " rejected " + rejected);
        return 0;
    }

    private static TeacherKind offline(String name) {
        try {
            TeacherKind kind = TeacherKind.parse(name);
            if (kind.offline()) {
                return kind;
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("generate: --teacher: " + e.getMessage());
        }
        throw new UsageException("generate: --teacher names an offline teacher ("
                + String.join(", ", TeacherKind.offlineLabels()) + "); for a server give --endpoint URL --model NAME");
    }

    private static String requireModel(String model, String endpoint) {
        if (model == null) {
            throw new UsageException(
                    "generate: --endpoint needs --model NAME (GET " + endpoint + "/models lists them)");
        }
        return model;
    }
}
