package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.data.arithmetic.WordProblem;
import ai.goldkd.metrics.Diversity;
import ai.goldkd.metrics.Text;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.prompt.PromptTemplates;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Measures the arithmetic writer ({@code gold teacher report arithmetic-writer}) on the
 * {@code arithmetic-answer} task's own generation prompts ({@link Prompts}), parsed back by
 * {@link Parsing} as the GOLD loop parses an LLM's reply:
 * <ul>
 *   <li><b>ZeroGen</b> at three settings (T 0.8 / top-k 20, T 1.0 and T 1.2 without top-k), from the
 *       prompt with the task's 3 real examples (and at T 0.8 from a prompt without examples, the prior): parse rejects, the share of accepted samples that are
 *       correct ({@link ArithmeticCheck#correct}), the family mix ({@link ArithmeticCheck#family}) against
 *       TRAIN's, distinct-2 over body and question, the share whose body-and-question skeleton is one
 *       TRAIN has, the number of distinct skeletons, and the share whose body and question equal a TRAIN problem's word for word;</li>
 *   <li><b>steering</b>: per family F, trials with 2 TRAIN problems of F as feedback examples 4 and 5:
 *       the share of samples in F without the feedback, with it, and with it and the "clearly different"
 *       request; and the copy rate: the share of the samples' word 4-grams (body and question, lower-cased,
 *       numbers included) found in the feedback's body and question, beside the same count against the
 *       same feedback for the samples written without it (what the shared template words alone give);
 *       the same over the 4-grams that hold a number (copying a number with its words); and how many
 *       samples repeat a feedback body word for word.</li>
 * </ul>
 *
 * @param samples ZeroGen samples per setting
 * @param trialsPerFamily steering trials per family
 * @param perTrial samples per prompt in a trial
 * @param seed the first request's seed
 */
public record ArithmeticWriterReport(int samples, int trialsPerFamily, int perTrial, long seed) {

    private static final int REQUEST_N = 8;
    private static final float[][] SETTINGS = {{0.8f, 20, 1f}, {1.0f, 0, 1f}, {1.2f, 0, 1f}};

    /** Checks the sizes. */
    public ArithmeticWriterReport {
        if (samples < 1 || trialsPerFamily < 1 || perTrial < 1) {
            throw new IllegalArgumentException("samples " + samples + ", trialsPerFamily " + trialsPerFamily
                    + " and perTrial " + perTrial + " must be >= 1; try 2000, 5, 40");
        }
    }

    /** 2,000 ZeroGen samples per setting; 5 trials per family of 40 samples per prompt; seed 1. */
    public static ArithmeticWriterReport defaults() {
        return new ArithmeticWriterReport(2000, 5, 40, 1);
    }

    /**
     * Builds the writer from TRAIN and measures it.
     *
     * @param train the TRAIN problems
     * @param task the {@code arithmetic-answer} task
     * @param config the writer's settings
     * @param log progress lines
     * @return the figures as JSON
     */
    public JsonObject run(List<WordProblem> train, Task task, ArithmeticWriterConfig config, Consumer<String> log) {
        long started = System.nanoTime();
        ArithmeticWriterModel model = ArithmeticWriterModel.build(train);
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        log.accept(String.format(
                Locale.ROOT,
                "built from %d TRAIN problems in %.2f s: %d skeletons",
                train.size(),
                buildSeconds,
                model.skeletons()));
        ArithmeticWriter writer = new ArithmeticWriter(model, config);
        Prompts prompts = new Prompts(task, PromptTemplates.defaults());
        JsonObject out = new JsonObject();
        out.addProperty("config", config.toString());
        out.addProperty("trainProblems", train.size());
        out.addProperty("buildSeconds", round(buildSeconds));
        out.addProperty("skeletons", model.skeletons());
        out.addProperty("names", model.text().names().size());
        out.addProperty("things", model.text().things().size());
        int judged = 0;
        for (WordProblem p : train) {
            judged += p.family() == ArithmeticCheck.family(p.body(), p.answer())
                            && ArithmeticCheck.correct(p.body(), p.question(), p.answer())
                    ? 1
                    : 0;
        }
        out.addProperty("trainJudgedOwnFamilyAndCorrect", round((double) judged / train.size()));
        out.add("trainFamilies", shares(train.stream().map(WordProblem::family).toList()));
        List<Example> firstTrain = train.subList(0, Math.min(samples, train.size())).stream()
                .map(ArithmeticWriterReport::example)
                .toList();
        out.addProperty("trainDistinct2SameSize", round(Diversity.distinctN(texts(firstTrain), 2)));
        out.addProperty(
                "trainDistinctSkeletonsSameSize",
                firstTrain.stream()
                        .map(e -> String.join(" ", model.text().delexicalise(e.get("body"), e.get("question"), null)))
                        .distinct()
                        .count());
        Set<String> trainKeys = new HashSet<>();
        train.forEach(p -> trainKeys.add(p.body() + " " + p.question()));
        JsonObject zeroGen = new JsonObject();
        for (float[] s : SETTINGS) {
            String name = String.format(Locale.ROOT, "T%.1f-topK%d", s[0], (int) s[1]);
            JsonObject z = zeroGen(writer, task, prompts, s[0], (int) s[1], trainKeys, task.examples());
            log.accept(name + ": " + z);
            zeroGen.add(name, z);
        }
        JsonObject bare = zeroGen(writer, task, prompts, 0.8f, 20, trainKeys, List.of());
        log.accept("T0.8-topK20 without examples: " + bare);
        zeroGen.add("T0.8-topK20-noExamples", bare);
        out.add("zeroGen", zeroGen);
        JsonObject steering = steering(writer, task, prompts, train);
        log.accept("steering: " + steering);
        out.add("steering", steering);
        return out;
    }

    /** Samples of one prompt, parsed; rejects counted by reason. */
    private record Batch(List<Example> accepted, Map<String, Integer> rejects) {}

    private static Batch batch(
            ArithmeticWriter writer,
            Prompts prompts,
            Parsing parsing,
            String prompt,
            int n,
            float temperature,
            int topK,
            long seed) {
        List<Example> accepted = new ArrayList<>();
        Map<String, Integer> rejects = new TreeMap<>();
        GenerationRequest request = GenerationRequest.of(prompt)
                .withN(n)
                .withTemperature(temperature)
                .withTopK(topK)
                .withMaxTokens(160)
                .withStop(prompts.stops())
                .withSeed(seed);
        for (Completion c : writer.generate(request)) {
            Parsing.Outcome o = parsing.parse(prompts, null, c.text());
            if (o.accepted()) {
                accepted.add(o.sample());
            } else {
                rejects.merge(o.reason(), 1, Integer::sum);
            }
        }
        return new Batch(accepted, rejects);
    }

    private JsonObject zeroGen(
            ArithmeticWriter writer,
            Task task,
            Prompts prompts,
            float temperature,
            int topK,
            Set<String> trainKeys,
            List<Example> examples) {
        Parsing parsing = new Parsing(task);
        String prompt = prompts.generation(null, examples, false);
        List<Example> accepted = new ArrayList<>();
        Map<String, Integer> rejects = new TreeMap<>();
        long started = System.nanoTime();
        for (int done = 0; done < samples; done += REQUEST_N) {
            Batch b = batch(
                    writer,
                    prompts,
                    parsing,
                    prompt,
                    Math.min(REQUEST_N, samples - done),
                    temperature,
                    topK,
                    seed + done);
            accepted.addAll(b.accepted());
            b.rejects().forEach((r, c) -> rejects.merge(r, c, Integer::sum));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonObject o = new JsonObject();
        o.addProperty("samples", samples);
        o.addProperty("samplesPerSecond", Math.round(samples / seconds));
        o.addProperty("rejected", samples - accepted.size());
        JsonObject reasons = new JsonObject();
        rejects.forEach(reasons::addProperty);
        o.add("rejectReasons", reasons);
        o.addProperty(
                "correct",
                round(share(
                        accepted, e -> ArithmeticCheck.correct(e.get("body"), e.get("question"), e.get("answer")))));
        o.add(
                "families",
                shares(accepted.stream()
                        .map(e -> ArithmeticCheck.family(e.get("body"), e.get("answer")))
                        .toList()));
        o.addProperty("distinct2", round(Diversity.distinctN(texts(accepted), 2)));
        ArithmeticWriterModel model = writer.model();
        o.addProperty("knownSkeleton", round(share(accepted, e -> {
            List<String> d = new ArrayList<>(model.text().delexicalise(e.get("body"), e.get("question"), null));
            d.add(ProblemText.ANSWER);
            return model.continuations(0, d) != null;
        })));
        o.addProperty(
                "distinctSkeletons",
                accepted.stream()
                        .map(e -> String.join(" ", model.text().delexicalise(e.get("body"), e.get("question"), null)))
                        .distinct()
                        .count());
        o.addProperty(
                "sameAsTrain",
                round(share(accepted, e -> trainKeys.contains(e.get("body") + " " + e.get("question")))));
        o.addProperty(
                "example", accepted.isEmpty() ? "" : accepted.get(0).fields().toString());
        return o;
    }

    private JsonObject steering(ArithmeticWriter writer, Task task, Prompts prompts, List<WordProblem> train) {
        Parsing parsing = new Parsing(task);
        JsonObject perFamily = new JsonObject();
        double[][] inFamily = new double[3][];
        double[] copy = new double[2]; // with feedback; without, against the same feedback
        double[] numberCopy = new double[2]; // the same, over 4-grams that hold a number
        int wholeCopies = 0;
        int trials = 0;
        long s = seed + 1_000_000;
        for (int v = 0; v < 3; v++) {
            inFamily[v] = new double[Family.values().length];
        }
        for (Family f : Family.values()) {
            List<WordProblem> ofF = train.stream().filter(p -> p.family() == f).toList();
            for (int t = 0; t < trialsPerFamily && 2 * t + 1 < ofF.size(); t++) {
                List<Example> feedback = List.of(example(ofF.get(2 * t)), example(ofF.get(2 * t + 1)));
                List<String> feedbackTexts = texts(feedback);
                List<Example> examples = new ArrayList<>(task.examples());
                examples.addAll(feedback);
                String[] variants = {
                    prompts.generation(null, task.examples(), false),
                    prompts.generation(null, examples, false),
                    prompts.generation(null, examples, true)
                };
                for (int v = 0; v < 3; v++) {
                    List<Example> got = batch(writer, prompts, parsing, variants[v], perTrial, 0.8f, 20, s)
                            .accepted();
                    inFamily[v][f.ordinal()] +=
                            share(got, e -> ArithmeticCheck.family(e.get("body"), e.get("answer")) == f)
                                    / trialsPerFamily;
                    if (v < 2) {
                        copy[1 - v] += Diversity.copyRate(texts(got), feedbackTexts, 4);
                        numberCopy[1 - v] += numberCopyRate(texts(got), feedbackTexts);
                    }
                    if (v > 0) {
                        for (Example e : got) {
                            wholeCopies += feedback.stream()
                                            .anyMatch(x -> x.get("body").equals(e.get("body")))
                                    ? 1
                                    : 0;
                        }
                    }
                }
                s += perTrial;
                trials++;
            }
            JsonObject o = new JsonObject();
            o.addProperty("withoutFeedback", round(inFamily[0][f.ordinal()]));
            o.addProperty("withFeedback", round(inFamily[1][f.ordinal()]));
            o.addProperty("clearlyDifferent", round(inFamily[2][f.ordinal()]));
            perFamily.add(f.label(), o);
        }
        JsonObject out = new JsonObject();
        out.addProperty("trials", trials);
        out.addProperty("samplesPerPrompt", perTrial);
        String[] names = {"withoutFeedback", "withFeedback", "clearlyDifferent"};
        for (int v = 0; v < 3; v++) {
            double mean = 0;
            for (double x : inFamily[v]) {
                mean += x / inFamily[v].length;
            }
            out.addProperty("meanShareInFeedbackFamily_" + names[v], round(mean));
        }
        out.add("shareInFeedbackFamily", perFamily);
        out.addProperty("copyRate4_withFeedback", round(copy[0] / trials));
        out.addProperty("copyRate4_withoutFeedback_sameReference", round(copy[1] / trials));
        out.addProperty("numberCopyRate4_withFeedback", round(numberCopy[0] / trials));
        out.addProperty("numberCopyRate4_withoutFeedback_sameReference", round(numberCopy[1] / trials));
        out.addProperty("samplesRepeatingAFeedbackBody", wholeCopies);
        return out;
    }

    /** {@link Diversity#copyRate} at n = 4 over the 4-grams that hold a number: numbers copied with their words. */
    static double numberCopyRate(List<String> texts, List<String> references) {
        Set<List<String>> known = new HashSet<>();
        for (String r : references) {
            List<String> w = Text.words(r);
            for (int i = 0; i + 4 <= w.size(); i++) {
                known.add(List.copyOf(w.subList(i, i + 4)));
            }
        }
        long total = 0;
        long copied = 0;
        for (String t : texts) {
            List<String> w = Text.words(t);
            for (int i = 0; i + 4 <= w.size(); i++) {
                List<String> g = w.subList(i, i + 4);
                if (g.stream().anyMatch(x -> Character.isDigit(x.charAt(0)))) {
                    total++;
                    copied += known.contains(g) ? 1 : 0;
                }
            }
        }
        return total == 0 ? 0 : (double) copied / total;
    }

    static Example example(WordProblem p) {
        return Example.of("body", p.body(), "question", p.question(), "answer", p.answer());
    }

    /** A sample's body and question, the text whose diversity and copying count. */
    static List<String> texts(List<Example> samples) {
        return samples.stream()
                .map(e -> e.get("body") + " " + e.get("question"))
                .toList();
    }

    private static double share(List<Example> samples, Predicate<Example> test) {
        return samples.isEmpty() ? 0 : (double) samples.stream().filter(test).count() / samples.size();
    }

    private static JsonObject shares(List<Family> families) {
        JsonObject o = new JsonObject();
        for (Family f : Family.values()) {
            o.addProperty(
                    f.label(),
                    round((double) families.stream().filter(x -> x == f).count() / Math.max(1, families.size())));
        }
        o.addProperty(
                "none",
                round((double) families.stream().filter(x -> x == null).count() / Math.max(1, families.size())));
        return o;
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
