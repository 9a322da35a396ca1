package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.metrics.Diversity;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.Generator;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures the offline IMDB teachers ({@code gold teacher report imdb}, {@code gold teacher report
 * imdb-transformer}): for each teacher and two
 * sampling settings (the default T 0.8 / top-k 20 and the hotter T 1.0 / top-k 200), ZeroGen-style
 * samples from the task's prompt with its 3 real examples (label consistency, distinct-2, topic overlap
 * and test coverage by {@link TeacherHealth}, speed); then steering trials: 2 real TRAIN reviews of one
 * judge topic added as feedback examples 4 and 5, against the same prompt without them and with the
 * "clearly different" request (cosine to the feedback, share in the feedback's judge topic, 4-gram
 * copy rate from the feedback).
 *
 * @param samples ZeroGen samples per teacher and setting, even
 * @param trials steering trials per teacher
 * @param perTrial samples per prompt in a steering trial
 * @param seed the seed of the first request
 */
public record TeacherReport(int samples, int trials, int perTrial, long seed) {

    private static final int REQUEST_N = 8;
    private static final String DIFFERENT =
            "The next sample must be clearly different from the examples above:" + " another topic, another domain.";

    /** Checks the sizes. */
    public TeacherReport {
        if (samples < 2 || samples % 2 != 0 || trials < 1 || perTrial < 1) {
            throw new IllegalArgumentException("samples " + samples + " (even, >= 2), trials " + trials
                    + " and perTrial " + perTrial + " (>= 1) are out of range; try 2000, 20, 40");
        }
    }

    /** 2,000 ZeroGen samples per setting, 20 steering trials of 40 samples per prompt, seed 1. */
    public static TeacherReport defaults() {
        return new TeacherReport(2000, 20, 40, 1);
    }

    /**
     * Runs the measurements.
     *
     * @param recipe the latent-topic teacher's build recipe (both teachers share its model)
     * @param config the latent-topic teacher's belief settings
     * @param log progress lines
     * @return the figures as JSON
     */
    public JsonObject run(TeacherRecipe recipe, LatentTopicConfig config, Consumer<String> log) {
        TeacherStore.Obtained obtained = ImdbTeachers.obtain(recipe);
        log.accept((obtained.built() ? "built " : "loaded ")
                + obtained.dir()
                + String.format(Locale.ROOT, " in %.1f s", obtained.seconds()));
        JsonObject out = new JsonObject();
        out.addProperty("recipe", recipe.canonical());
        out.addProperty("teacherDir", obtained.dir().toString());
        out.addProperty("buildOrLoadSeconds", round(obtained.seconds()));
        out.addProperty("latentTopicConfig", config.toString());
        Map<String, Generator> teachers = new LinkedHashMap<>();
        teachers.put("latentTopic", new LatentTopicTeacher(obtained.model(), config));
        teachers.put(
                "trigramCache", new CacheTrigramTeacher(obtained.model(), CacheTrigramTeacher.DEFAULT_CACHE_WEIGHT));
        return measure(teachers, out, log);
    }

    /**
     * Runs the measurements on the small-transformer teacher ({@code gold teacher report imdb-transformer}).
     *
     * @param recipe its build recipe (built now when it is not cached)
     * @param log progress lines
     * @return the figures as JSON, in the layout of {@link #run}
     */
    public JsonObject runTransformer(TransformerRecipe recipe, Consumer<String> log) {
        TeacherStore.ObtainedTransformer obtained = ImdbTeachers.obtainTransformer(recipe, log);
        try (TransformerTeacher teacher = obtained.teacher()) {
            log.accept((obtained.built() ? "built " : "loaded ")
                    + obtained.dir()
                    + String.format(Locale.ROOT, " in %.1f s", obtained.seconds()));
            JsonObject out = new JsonObject();
            out.addProperty("recipe", recipe.canonical());
            out.addProperty("teacherDir", obtained.dir().toString());
            out.addProperty("buildOrLoadSeconds", round(obtained.seconds()));
            return measure(Map.of("transformer", teacher), out, log);
        }
    }

    private JsonObject measure(Map<String, Generator> gens, JsonObject out, Consumer<String> log) {
        ImdbReviews imdb = ImdbReviews.load();
        List<Example> train = imdb.split(Split.TRAIN);
        List<Example> test = imdb.split(Split.TEST);
        long started = System.nanoTime();
        TeacherHealth health = TeacherHealth.fit(train, test, ImdbReviews.LABELS);
        log.accept(String.format(
                Locale.ROOT,
                "judges fitted in %.1f s; sentiment judge accuracy on TEST %.4f",
                (System.nanoTime() - started) / 1e9,
                health.judgeAccuracy()));
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        out.addProperty("judgeTestAccuracy", round(health.judgeAccuracy()));
        out.addProperty("judgeTopics", TeacherHealth.JUDGE_TOPICS);
        out.addProperty("testReviews", test.size());
        List<Trial> trials = trials(train, health);
        JsonObject teachers = new JsonObject();
        for (Map.Entry<String, Generator> e : gens.entrySet()) {
            Generator g = e.getValue();
            JsonObject t = new JsonObject();
            t.add("zeroGen", zeroGen(g, task, health, 0.8f, 20));
            t.add("zeroGenHot", zeroGen(g, task, health, 1.0f, 200));
            t.add("steering", steering(g, task, health, trials));
            log.accept(e.getKey() + ": " + t);
            teachers.add(e.getKey(), t);
        }
        out.add("teachers", teachers);
        return out;
    }

    private JsonObject zeroGen(Generator g, Task task, TeacherHealth health, float temperature, int topK) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long started = System.nanoTime();
        long s = seed;
        while (texts.size() < samples) {
            String label = ImdbReviews.LABELS.get((texts.size() / REQUEST_N) % 2);
            int n = Math.min(REQUEST_N, samples - texts.size());
            for (Completion c : g.generate(request(prompt(task, List.of(), label, false), n, temperature, topK, s))) {
                texts.add(c.text());
                labels.add(label);
            }
            s += REQUEST_N;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonObject o = new JsonObject();
        o.addProperty("temperature", temperature);
        o.addProperty("topK", topK);
        o.addProperty("samples", texts.size());
        o.addProperty("samplesPerSecond", Math.round(texts.size() / seconds));
        o.addProperty(
                "meanChars",
                round(texts.stream().mapToInt(String::length).average().orElse(0)));
        o.addProperty("labelConsistency", round(health.labelConsistency(texts, labels)));
        o.addProperty("distinct2", round(Diversity.distinctN(texts, 2)));
        o.addProperty("topicOverlap", round(health.topicOverlap(texts)));
        o.addProperty("testCoverage", round(health.testCoverage(texts)));
        o.addProperty("example", texts.get(0).strip());
        return o;
    }

    /** One steering trial: feedback examples from one judge topic, with one label. */
    private record Trial(int topic, String label, List<String> feedback) {}

    private List<Trial> trials(List<Example> train, TeacherHealth health) {
        List<String> texts = train.stream().map(e -> e.get("text")).toList();
        List<Integer> topicOf = health.topicsOf(texts);
        List<Trial> out = new ArrayList<>();
        int k = health.topics().size();
        for (int j = 0; out.size() < trials && j < 4 * trials * k; j++) {
            int topic = j % k;
            String label = ImdbReviews.LABELS.get((j / k) % 2);
            List<String> feedback = new ArrayList<>();
            int skip = j / (2 * k); // later rounds take later reviews of the topic
            for (int i = 0; i < texts.size() && feedback.size() < 2; i++) {
                if (topicOf.get(i) == topic && train.get(i).get("label").equals(label)) {
                    String shortened = shorten(texts.get(i));
                    if (shortened.length() >= 100 && health.topicOf(List.of(shortened)) == topic && skip-- <= 0) {
                        feedback.add(shortened);
                    }
                }
            }
            if (feedback.size() == 2) {
                out.add(new Trial(topic, label, feedback));
            }
        }
        return out;
    }

    /** A review cut after the last sentence end within 400 characters, as feedback samples are short. */
    private static String shorten(String text) {
        if (text.length() <= 400) {
            return text;
        }
        int cut = -1;
        for (int i = 0; i < 400; i++) {
            char c = text.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                cut = i + 1;
            }
        }
        return cut > 0 ? text.substring(0, cut) : text.substring(0, 400);
    }

    private JsonObject steering(Generator g, Task task, TeacherHealth health, List<Trial> trialList) {
        double[] cosine = new double[3];
        double[] inTopic = new double[3];
        double[] copy = new double[3];
        List<String> steered = new ArrayList<>();
        List<String> steeredLabels = new ArrayList<>();
        long s = seed + 1_000_000;
        for (Trial trial : trialList) {
            for (int variant = 0; variant < 3; variant++) {
                String p = prompt(task, variant == 0 ? List.of() : trial.feedback(), trial.label(), variant == 2);
                List<String> texts = g.generate(request(p, perTrial, 0.8f, 20, s)).stream()
                        .map(Completion::text)
                        .toList();
                cosine[variant] += health.cosineToExamples(texts, trial.feedback()) / trialList.size();
                inTopic[variant] += health.shareInTopic(texts, trial.topic()) / trialList.size();
                copy[variant] += Diversity.copyRate(texts, trial.feedback(), 4) / trialList.size();
                if (variant == 1) {
                    steered.addAll(texts);
                    texts.forEach(x -> steeredLabels.add(trial.label()));
                }
            }
            s += perTrial;
        }
        JsonObject o = new JsonObject();
        o.addProperty("trials", trialList.size());
        o.addProperty("samplesPerPrompt", perTrial);
        String[] names = {"withoutFeedback", "withFeedback", "clearlyDifferent"};
        for (int v = 0; v < 3; v++) {
            JsonObject m = new JsonObject();
            m.addProperty("cosineToFeedback", round(cosine[v]));
            m.addProperty("shareInFeedbackTopic", round(inTopic[v]));
            m.addProperty("copyRate4", round(copy[v]));
            o.add(names[v], m);
        }
        o.addProperty("cosineGain", round(cosine[1] - cosine[0]));
        o.addProperty("topicShareGain", round(inTopic[1] - inTopic[0]));
        o.addProperty("withFeedbackDistinct2", round(Diversity.distinctN(steered, 2)));
        o.addProperty("withFeedbackLabelConsistency", round(health.labelConsistency(steered, steeredLabels)));
        return o;
    }

    private static GenerationRequest request(String prompt, int n, float temperature, int topK, long seed) {
        return GenerationRequest.of(prompt)
                .withN(n)
                .withTemperature(temperature)
                .withTopK(topK)
                .withMaxTokens(200)
                .withStop(List.of("\n"))
                .withSeed(seed);
    }

    /**
     * A prompt in the GOLD loop's layout: role line, task, labels, the task's real examples, any
     * feedback as further numbered examples, maybe the "clearly different" request, the ask.
     *
     * @param task the task
     * @param feedback further example texts, all with {@code label}
     * @param label the requested label
     * @param different whether to ask for a clearly different sample
     * @return the prompt
     */
    static String prompt(Task task, List<String> feedback, String label, boolean different) {
        StringBuilder p = new StringBuilder("You are a helpful assistant. Reply with one sample only, in the format"
                        + " of the examples.\n\nTask: ")
                .append(task.description())
                .append("\nLabels:\n");
        task.labels()
                .forEach(l -> p.append("- ")
                        .append(l.name())
                        .append(": ")
                        .append(l.meaning())
                        .append('\n'));
        p.append("\nExamples:\n");
        int i = 1;
        for (Example e : task.examples()) {
            p.append(i++)
                    .append(". text: ")
                    .append(e.get("text"))
                    .append("\n   label: ")
                    .append(e.get("label"))
                    .append('\n');
        }
        for (String f : feedback) {
            p.append(i++)
                    .append(". text: ")
                    .append(f)
                    .append("\n   label: ")
                    .append(label)
                    .append('\n');
        }
        p.append('\n');
        if (different) {
            p.append(DIFFERENT).append('\n');
        }
        p.append("Give me a novel sample of this task with label ")
                .append(label)
                .append(".\ntext:");
        return p.toString();
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
