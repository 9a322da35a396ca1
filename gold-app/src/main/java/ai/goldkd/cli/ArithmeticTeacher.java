package ai.goldkd.cli;

import ai.goldkd.offline.ArithmeticTeachers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code gold teacher build arithmetic}: parses the options into an {@link ArithmeticTeachers.Recipe}
 * and builds it ({@link ArithmeticTeachers#build}); {@code gold serve --model arithmetic} serves the
 * default recipe's teacher.
 */
final class ArithmeticTeacher {

    private ArithmeticTeacher() {}

    /**
     * The built default teacher's directory, for {@code gold serve --model arithmetic}.
     *
     * @return the checkpoint directory
     * @throws IllegalArgumentException when it is not built, naming the command that builds it
     */
    static Path builtDefault() {
        return ArithmeticTeachers.builtDefault();
    }

    static int build(Args a) {
        ArithmeticTeachers.Recipe d = ArithmeticTeachers.Recipe.defaults();
        int lm = a.integer("lm-steps", d.lmSteps());
        int sft = a.integer("sft-steps", d.sftSteps());
        int sft2 = a.integer("sft2-steps", d.sft2Steps());
        int layers = a.integer("layers", d.layers());
        int dim = a.integer("dim", d.dim());
        int heads = a.integer("heads", d.heads());
        int mlp = a.integer("mlp", d.mlp());
        int batch = a.integer("batch", d.batch());
        int testLimit = a.integer("test-limit", d.testLimit());
        a.done(List.of(
                "--lm-steps",
                "--sft-steps",
                "--sft2-steps",
                "--layers",
                "--dim",
                "--heads",
                "--mlp",
                "--batch",
                "--test-limit"));
        if (lm < 1 || sft < 1 || sft2 < 1) {
            throw new UsageException(
                    "teacher build arithmetic: every stage needs >= 1 step, got " + lm + ", " + sft + ", " + sft2);
        }
        ArithmeticTeachers.Recipe r =
                new ArithmeticTeachers.Recipe(d.dataSha256(), lm, sft, sft2, layers, dim, heads, mlp, batch, testLimit);
        if (Files.isDirectory(r.dir())) {
            System.out.println("found " + r.dir());
            return 0;
        }
        long started = System.nanoTime();
        Path dir = ArithmeticTeachers.build(r);
        System.out.printf(Locale.ROOT, "built %s in %.1f min%n", dir, (System.nanoTime() - started) / 6e10);
        return 0;
    }
}
