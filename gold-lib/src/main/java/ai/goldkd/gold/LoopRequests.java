package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskField;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * One batch of the loop's requests to the teacher, and what comes back: the prompts (labels drawn
 * uniformly, feedback drawn from the shown set, each seeded by iteration and stream), then each
 * completion parsed by the task's rules, checked against the student and against every text the run
 * has generated before.
 */
final class LoopRequests {

    private final GoldConfig config;
    private final Task task;
    private final Prompts prompts;
    private final Parsing parsing;
    private final TeacherMeter teacher;
    private final Set<String> texts = new HashSet<>();

    LoopRequests(GoldConfig config, Task task, Prompts prompts, TeacherMeter teacher) {
        this.config = config;
        this.task = task;
        this.prompts = prompts;
        this.parsing = new Parsing(task);
        this.teacher = teacher;
    }

    /**
     * Asks the teacher for one batch.
     *
     * @param t the iteration
     * @param batch {@code train} or {@code validation}
     * @param count how many samples
     * @param shown the feedback samples the prompts may show
     * @param ood whether this is the OOD-validation batch
     * @param student the loop's student (a sample it cannot take is rejected)
     * @param rejects where rejected generations go
     * @return the accepted samples, in request order
     */
    List<GeneratedSample> generate(
            int t,
            String batch,
            int count,
            List<GeneratedSample> shown,
            boolean ood,
            LoopStudent student,
            List<Reject> rejects) {
        Random labels = new Random(seed(config, t, ood ? 2 : 1));
        Random draws = new Random(seed(config, t, ood ? 5 : 4));
        List<String> names = task.labelNames();
        List<GenerationRequest> requests = new ArrayList<>();
        List<String> requested = new ArrayList<>();
        List<List<String>> shownIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String label = names.isEmpty() ? null : names.get(labels.nextInt(names.size())); // seq2seq: none
            List<GeneratedSample> pick = draw(shown, draws);
            List<Example> examples = new ArrayList<>(task.examples());
            pick.forEach(s -> examples.add(s.sample()));
            requests.add(config.teacher()
                    .request(
                            prompts.generation(
                                    label, examples, ood && config.loop().oodPrompt()),
                            prompts.stops(),
                            seed(config, t, ood ? 7 : 6) * 1_000L + i));
            requested.add(label);
            shownIds.add(pick.stream().map(GeneratedSample::id).toList());
        }
        List<GenerationResult> results = teacher.generateAll(requests);
        List<GeneratedSample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "t%04d-%s-%03d", t, batch, i);
            GenerationResult result = results.get(i);
            if (!result.ok()) {
                rejects.add(new Reject(id, "request-failed", result.error(), ""));
                continue;
            }
            Completion completion = result.completions().get(0);
            Parsing.Outcome outcome = parsing.parse(prompts, requested.get(i), completion.text());
            if (!outcome.accepted()) {
                rejects.add(new Reject(id, outcome.reason(), outcome.detail(), outcome.raw()));
                continue;
            }
            String unfit = student.unfit(outcome.sample());
            if (unfit != null) {
                rejects.add(new Reject(id, "too-long", unfit, completion.text()));
                continue;
            }
            GeneratedSample sample = new GeneratedSample(id, t, batch, outcome.sample(), shownIds.get(i), Float.NaN);
            if (!texts.add(key(sample))) {
                rejects.add(new Reject(
                        id, "duplicate", "the same text was generated before in this run", completion.text()));
                continue;
            }
            out.add(sample);
        }
        return out;
    }

    /** Records samples generated before (a resumed run's), so that their texts count as seen. */
    void remember(List<GeneratedSample> samples) {
        samples.forEach(s -> texts.add(key(s)));
    }

    private List<GeneratedSample> draw(List<GeneratedSample> shown, Random random) {
        if (shown.size() <= config.feedback().perPrompt()) {
            return shown;
        }
        List<GeneratedSample> copy = new ArrayList<>(shown);
        Collections.shuffle(copy, random);
        return copy.subList(0, config.feedback().perPrompt());
    }

    /** What makes two samples the same: their input fields (IMDB: the review; arithmetic: body and question). */
    String key(GeneratedSample s) {
        StringBuilder out = new StringBuilder();
        for (TaskField field : task.inputs()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(s.field(field.name()));
        }
        return out.toString();
    }

    /**
     * The seed of one random stream of one iteration.
     *
     * @param config the run's settings (its seed)
     * @param iteration the iteration
     * @param stream which stream (labels, draws, sampling, the selector, the student's order)
     * @return the seed
     */
    static long seed(GoldConfig config, int iteration, int stream) {
        return config.seed() * 1_000_003L + iteration * 101L + stream;
    }
}
