package ai.goldkd.cli;

import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.data.arithmetic.WordProblem;
import ai.goldkd.offline.ArithmeticWriterConfig;
import ai.goldkd.offline.ArithmeticWriterModel;
import ai.goldkd.offline.ArithmeticWriterReport;
import ai.goldkd.offline.ArithmeticWriters;
import ai.goldkd.offline.ImdbTeachers;
import ai.goldkd.offline.LatentTopicConfig;
import ai.goldkd.offline.TeacherRecipe;
import ai.goldkd.offline.TeacherReport;
import ai.goldkd.offline.TeacherStore;
import ai.goldkd.offline.TopicModel;
import ai.goldkd.offline.TransformerRecipe;
import ai.goldkd.offline.TransformerTeacher;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gold teacher build imdb|imdb-transformer|arithmetic} builds an offline teacher into
 * {@code $GOLD_HOME/teachers} (or finds it built); {@code gold teacher report imdb|imdb-transformer}
 * measures the IMDB teachers. The arithmetic writer ({@code arithmetic-writer}) is counted from TRAIN in
 * about a second each time it is opened, so {@code build arithmetic-writer} only builds it and prints
 * what it learnt, and {@code report arithmetic-writer} measures it. {@code gold teacher logits} stores a
 * teacher's top-k log-probabilities over a data set ({@link TeacherLogitsCommand}).
 */
final class TeacherCommand {

    private static final String USAGE = """
            usage: gold teacher build imdb [--topics K] [--seed S] [--vocab-min N] [--trigram-min N]
                                           [--continuations N] [--iterations N]
                   gold teacher build imdb-transformer [--steps N] [--batch N] [--lr X] [--layers N] [--dim N]
                                           [--heads N] [--mlp N] [--vocab N] [--doc-tokens N] [--context N] [--seed S]
                   gold teacher build arithmetic [--lm-steps N] [--sft-steps N] [--sft2-steps N] [--layers N]
                                           [--dim N] [--heads N] [--mlp N] [--batch N] [--test-limit N]
                   gold teacher report imdb [--out FILE.json] [--topics K] [--samples N] [--trials N]
                                           [--per-trial N] [--seed S] [--kappa X] [--evidence X]
                                           [--emphasis X] [--prior-temperature X]
                   gold teacher build arithmetic-writer
                   gold teacher report arithmetic-writer [--out FILE.json] [--samples N] [--trials N] [--per-trial N]
                                           [--seed S] [--prior-temperature X] [--evidence X] [--family-mix X]
                                           [--slip P] [--misread P]
                   gold teacher report imdb-transformer [--out FILE.json] [--samples N] [--trials N] [--per-trial N]
                                           [the options of build imdb-transformer]
            """ + TeacherLogitsCommand.USAGE.replace("usage: ", "       ");

    private TeacherCommand() {}

    static int run(String[] args) {
        if (args.length < 2) {
            throw new UsageException("teacher needs an action and a teacher\n" + USAGE);
        }
        if (args[0].equals("logits")) {
            return TeacherLogitsCommand.run(
                    new Args("teacher logits", Arrays.copyOfRange(args, 1, args.length), Set.of()));
        }
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        String what = args[0] + " " + args[1];
        return switch (what) {
            case "build imdb" -> buildImdb(new Args("teacher build imdb", rest, Set.of()));
            case "build imdb-transformer" ->
                buildTransformer(new Args("teacher build imdb-transformer", rest, Set.of()));
            case "build arithmetic" -> ArithmeticTeacher.build(new Args("teacher build arithmetic", rest, Set.of()));
            case "report imdb" -> report(new Args("teacher report imdb", rest, Set.of()));
            case "report imdb-transformer" ->
                reportTransformer(new Args("teacher report imdb-transformer", rest, Set.of()));
            case "build " + ArithmeticWriters.NAME ->
                buildWriter(new Args("teacher build " + ArithmeticWriters.NAME, rest, Set.of()));
            case "report " + ArithmeticWriters.NAME ->
                reportWriter(new Args("teacher report " + ArithmeticWriters.NAME, rest, Set.of()));
            default ->
                throw new UsageException("unknown 'teacher " + what + "'; teachers are imdb, imdb-transformer,"
                        + " arithmetic and " + ArithmeticWriters.NAME + "\n" + USAGE);
        };
    }

    private static TeacherRecipe recipe(Args a) {
        TeacherRecipe d = ImdbTeachers.recipe();
        TeacherRecipe r = d.withTopics(a.integer("topics", d.topics()))
                .withSeed(a.longValue("seed", d.seed()))
                .withCounts(
                        a.integer("vocab-min", d.vocabMinCount()),
                        a.integer("trigram-min", d.trigramMinCount()),
                        a.integer("continuations", d.maxContinuations()));
        return new TeacherRecipe(
                r.dataSha256(),
                r.topics(),
                r.topicMinDf(),
                r.topicMaxDfShare(),
                a.integer("iterations", r.kmeansIterations()),
                r.seed(),
                r.vocabMinCount(),
                r.trigramMinCount(),
                r.maxContinuations(),
                r.discount());
    }

    private static int buildImdb(Args a) {
        TeacherRecipe recipe;
        try {
            recipe = recipe(a);
        } catch (IllegalArgumentException e) {
            throw new UsageException("teacher build imdb: " + e.getMessage());
        }
        a.done(List.of("--topics", "--seed", "--vocab-min", "--trigram-min", "--continuations", "--iterations"));
        TeacherStore.Obtained o = ImdbTeachers.obtain(recipe);
        System.out.printf(
                Locale.ROOT,
                "%s %s in %.1f s: %d words, %d stored continuations, %d topics%n",
                o.built() ? "built" : "found",
                o.dir(),
                o.seconds(),
                o.model().vocabulary().size(),
                o.model().entries(),
                o.model().topics().size());
        TopicModel topics = o.model().topics();
        double[] f = topics.frequency();
        for (int t = 0; t < topics.size(); t++) {
            System.out.printf(
                    Locale.ROOT, "  topic %2d  %5.1f%%  %s%n", t, 100 * f[t], String.join(" ", topics.topWords(t, 8)));
        }
        if (!recipe.equals(ImdbTeachers.recipe())) {
            System.out.println("note: not the default recipe; `gold serve --model imdb` and ImdbTeachers.latentTopic()"
                    + " use the default one, serve this one with --model " + o.dir());
        }
        return 0;
    }

    private static int buildWriter(Args a) {
        a.done(List.of());
        List<WordProblem> train = ArithmeticWriters.train();
        long started = System.nanoTime();
        ArithmeticWriterModel model = ArithmeticWriterModel.build(train);
        System.out.printf(
                Locale.ROOT,
                "built %s from %d TRAIN problems in %.2f s (not cached: it is counted again"
                        + " whenever it is opened): %d names, %d things, %d body-and-question skeletons%n",
                ArithmeticWriters.NAME,
                train.size(),
                (System.nanoTime() - started) / 1e9,
                model.text().names().size(),
                model.text().things().size(),
                model.skeletons());
        for (Family f : Family.values()) {
            System.out.printf(Locale.ROOT, "  %-18s %5.1f%%%n", f.label(), 100 * model.frequency()[f.ordinal()]);
        }
        return 0;
    }

    static TransformerRecipe transformerRecipe(Args a) {
        TransformerRecipe d = ImdbTeachers.transformerRecipe();
        return d.withShape(
                        a.integer("layers", d.layers()),
                        a.integer("dim", d.dim()),
                        a.integer("heads", d.heads()),
                        a.integer("mlp", d.mlp()))
                .withTraining(
                        a.integer("steps", d.steps()), a.integer("batch", d.batch()), a.real("lr", d.learningRate()))
                .withText(
                        a.integer("vocab", d.vocab()),
                        a.integer("doc-tokens", d.docTokens()),
                        a.integer("context", d.context()))
                .withSeed(a.longValue("seed", d.seed()));
    }

    static final List<String> TRANSFORMER_OPTIONS = List.of(
            "--steps",
            "--batch",
            "--lr",
            "--layers",
            "--dim",
            "--heads",
            "--mlp",
            "--vocab",
            "--doc-tokens",
            "--context",
            "--seed");

    private static int buildTransformer(Args a) {
        TransformerRecipe recipe;
        try {
            recipe = transformerRecipe(a);
        } catch (IllegalArgumentException e) {
            throw new UsageException("teacher build imdb-transformer: " + e.getMessage());
        }
        a.done(TRANSFORMER_OPTIONS);
        TeacherStore.ObtainedTransformer o = ImdbTeachers.obtainTransformer(recipe, System.out::println);
        try (TransformerTeacher teacher = o.teacher()) {
            System.out.printf(Locale.ROOT, "%s %s in %.1f s%n", o.built() ? "built" : "found", o.dir(), o.seconds());
            for (String label : teacher.labels()) {
                GenerationRequest request = GenerationRequest.of("Write a review with label " + label + ".\ntext:")
                        .withN(3)
                        .withTemperature(0.8f)
                        .withTopK(20)
                        .withMaxTokens(160)
                        .withStop(List.of("\n"))
                        .withSeed(1L);
                for (Completion c : teacher.generate(request)) {
                    System.out.println("  " + label + ": " + c.text());
                }
            }
        }
        if (!recipe.equals(ImdbTeachers.transformerRecipe())) {
            System.out.println("note: not the default recipe; `gold serve --model imdb-transformer` uses the default"
                    + " one, serve this one with --model " + o.dir());
        }
        return 0;
    }

    private static int reportWriter(Args a) {
        ArithmeticWriterConfig d = ArithmeticWriterConfig.defaults();
        ArithmeticWriterReport dr = ArithmeticWriterReport.defaults();
        ArithmeticWriterConfig config;
        ArithmeticWriterReport report;
        try {
            config = new ArithmeticWriterConfig(
                    a.real("prior-temperature", (float) d.priorTemperature()),
                    a.real("evidence", (float) d.evidence()),
                    a.real("family-mix", (float) d.familyMix()),
                    a.real("slip", (float) d.slip()),
                    a.real("misread", (float) d.misread()));
            report = new ArithmeticWriterReport(
                    a.integer("samples", dr.samples()),
                    a.integer("trials", dr.trialsPerFamily()),
                    a.integer("per-trial", dr.perTrial()),
                    a.longValue("seed", dr.seed()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("teacher report " + ArithmeticWriters.NAME + ": " + e.getMessage());
        }
        String out = a.string("out", null);
        a.done(List.of(
                "--out",
                "--samples",
                "--trials",
                "--per-trial",
                "--seed",
                "--prior-temperature",
                "--evidence",
                "--family-mix",
                "--slip",
                "--misread"));
        JsonObject json = report.run(
                ArithmeticWriters.train(), TaskCatalog.locate().task("arithmetic-answer"), config, System.err::println);
        write(json, out);
        return 0;
    }

    private static int report(Args a) {
        TeacherRecipe recipe;
        LatentTopicConfig config;
        TeacherReport report;
        LatentTopicConfig d = LatentTopicConfig.defaults();
        TeacherReport dr = TeacherReport.defaults();
        try {
            recipe = recipe(a);
            config = new LatentTopicConfig(
                    a.real("prior-temperature", (float) d.priorTemperature()),
                    a.real("kappa", (float) d.kappa()),
                    a.real("evidence", (float) d.evidence()),
                    a.real("emphasis", (float) d.topicEmphasis()));
            report = new TeacherReport(
                    a.integer("samples", dr.samples()),
                    a.integer("trials", dr.trials()),
                    a.integer("per-trial", dr.perTrial()),
                    dr.seed());
        } catch (IllegalArgumentException e) {
            throw new UsageException("teacher report imdb: " + e.getMessage());
        }
        String out = a.string("out", null);
        a.done(List.of(
                "--out",
                "--topics",
                "--seed",
                "--vocab-min",
                "--trigram-min",
                "--continuations",
                "--iterations",
                "--samples",
                "--trials",
                "--per-trial",
                "--kappa",
                "--evidence",
                "--emphasis",
                "--prior-temperature"));
        JsonObject json = report.run(recipe, config, System.err::println);
        write(json, out);
        return 0;
    }

    private static int reportTransformer(Args a) {
        TransformerRecipe recipe;
        TeacherReport report;
        TeacherReport dr = TeacherReport.defaults();
        try {
            recipe = transformerRecipe(a);
            report = new TeacherReport(
                    a.integer("samples", dr.samples()),
                    a.integer("trials", dr.trials()),
                    a.integer("per-trial", dr.perTrial()),
                    dr.seed());
        } catch (IllegalArgumentException e) {
            throw new UsageException("teacher report imdb-transformer: " + e.getMessage());
        }
        String out = a.string("out", null);
        List<String> known = new ArrayList<>(TRANSFORMER_OPTIONS);
        known.addAll(List.of("--out", "--samples", "--trials", "--per-trial"));
        a.done(known);
        write(report.runTransformer(recipe, System.err::println), out);
        return 0;
    }

    private static void write(JsonObject json, String out) {
        String text = new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(json) + "\n";
        if (out == null) {
            System.out.print(text);
        } else {
            try {
                Path file = Path.of(out);
                if (file.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write --out " + out, e);
            }
            System.out.println("wrote " + out);
        }
    }
}
