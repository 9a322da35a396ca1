package ai.goldkd.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes small run directories laid out as gold run, gold distill and gold lm train write theirs. */
final class RunFixtures {

    /** Prompt tokens per iteration of a GOLD fixture: 1000 + 10 x seed; completion tokens 400 + seed. */
    static double promptTokens(long seed) {
        return 1000 + 10 * seed;
    }

    static double completionTokens(long seed) {
        return 400 + seed;
    }

    private RunFixtures() {}

    /**
     * A GOLD run.
     *
     * @param dir the run's folder
     * @param method the config's name
     * @param seed the seed
     * @param iterations the config's iterations
     * @param done how many iterations completed
     * @param accuracy the final accuracy (share), or NaN for a run still going
     * @param teacherCost whether metrics.csv logs the teacher_* rows
     */
    static Path gold(
            Path dir, String method, long seed, int iterations, int done, double accuracy, boolean teacherCost) {
        write(
                dir.resolve("config.json"),
                String.format(
                        Locale.ROOT,
                        "{\"name\": \"%s\", \"task\": \"imdb-sentiment\","
                                + " \"iterations\": %d, \"trainBatch\": 16, \"seed\": %d}",
                        method,
                        iterations,
                        seed));
        StringBuilder csv = new StringBuilder("run,iteration,step,metric,value\n");
        for (int t = 0; t < done; t++) {
            double acc = 0.5 + 0.02 * t + 0.001 * seed;
            Map<String, Double> m = new java.util.TreeMap<>(Map.of(
                    "accepted",
                    24.0,
                    "energy_p50",
                    -0.70 - 0.01 * t,
                    "energy_p80",
                    -0.69 - 0.01 * t,
                    "distinct2",
                    0.7,
                    "ood_rate",
                    0.1 * t,
                    "student_accuracy",
                    acc));
            if (teacherCost) {
                m.put("teacher_calls", 24.0);
                m.put("teacher_prompt_tokens", promptTokens(seed));
                m.put("teacher_completion_tokens", completionTokens(seed));
                m.put("teacher_seconds", 1.5);
                m.put("teacher_retries", t == 1 ? 2.0 : 0.0);
                m.put("teacher_failures", 0.0);
            }
            StringBuilder json = new StringBuilder("{");
            int[] i = {0};
            int row = t;
            m.forEach((k, v) -> {
                csv.append(method)
                        .append(',')
                        .append(row)
                        .append(",0,")
                        .append(k)
                        .append(',')
                        .append(v)
                        .append('\n');
                json.append(i[0]++ == 0 ? "" : ", ")
                        .append('"')
                        .append(k)
                        .append("\": ")
                        .append(v);
            });
            write(
                    dir.resolve(String.format(Locale.ROOT, "iterations/%04d/metrics.json", t)),
                    json.append('}').toString());
        }
        if (!Double.isNaN(accuracy)) {
            csv.append(method)
                    .append(',')
                    .append(iterations)
                    .append(",0,final_accuracy,")
                    .append(accuracy)
                    .append('\n');
            write(
                    dir.resolve("final/result.json"),
                    String.format(
                            Locale.ROOT,
                            "{\"name\": \"%s\", \"seed\": %d,"
                                    + " \"trainingSamples\": 96, \"dropped\": 4, \"accuracy\": %s, \"finalLoss\": 0.3, \"slices\": {}}",
                            method,
                            seed,
                            accuracy));
        }
        write(dir.resolve("metrics.csv"), csv.toString());
        return dir;
    }

    /** A finished distillation run of 20 steps, with two families. */
    static Path distillation(Path dir, long seed, double accuracy) {
        write(
                dir.resolve("distillation.json"),
                String.format(
                        Locale.ROOT,
                        "{\"regime\": \"on_policy\", \"lambda\": 0.5,"
                                + " \"train\": {\"maxSteps\": 20, \"seed\": %d}}",
                        seed));
        String run = dir.getFileName().toString();
        StringBuilder csv = new StringBuilder("run,iteration,step,metric,value\n");
        for (int step = 0; step < 20; step += 5) {
            csv.append(String.format(
                    Locale.ROOT,
                    "%1$s,0,%2$d,train_loss,%3$s%n%1$s,0,%2$d,divergence,%4$s%n"
                            + "%1$s,0,%2$d,on_policy_fraction,0.5%n%1$s,0,%2$d,tokens_per_second,%5$s%n"
                            + "%1$s,0,%2$d,eval_score,%6$s%n",
                    run,
                    step,
                    3.0 - 0.1 * step,
                    1.0 - 0.02 * step,
                    900 + seed,
                    2.9 - 0.05 * step));
        }
        write(dir.resolve("metrics.csv"), csv.toString());
        write(
                dir.resolve("results.json"),
                String.format(
                        Locale.ROOT,
                        "{\"regime\": \"on_policy\", \"steps\": 20,"
                                + " \"accuracy\": %s, \"tail_accuracy\": 0.1, \"slices\": {\"add\": %s, \"multiply\": 0.2},"
                                + " \"train_seconds\": 12.0, \"on_policy_fraction\": 0.5}",
                        accuracy,
                        accuracy + 0.1));
        return dir;
    }

    /** An lm train run: metrics.csv and model.json, held-out loss at two steps. */
    static Path lm(Path dir) {
        String run = dir.getFileName().toString();
        write(dir.resolve("model.json"), "{\"format\": 1, \"kind\": \"causal-lm\", \"step\": 10}");
        write(
                dir.resolve("metrics.csv"),
                "run,iteration,step,metric,value\n"
                        + run + ",0,0,train_loss,5.6\n" + run + ",0,0,tokens_per_second,400.0\n"
                        + run + ",0,4,eval_score,5.55\n" + run + ",0,9,train_loss,5.4\n"
                        + run + ",0,9,tokens_per_second,410.0\n" + run + ",0,9,eval_score,5.50\n"
                        + run + ",0,9,train_lo");
        return dir;
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
