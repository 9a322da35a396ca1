package ai.goldkd.cli;

import ai.goldkd.bench.Benchmarks;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code gold bench [--quick] [--compare [--python PATH]] [--threads N] [--reps N] [--only GROUPS] [--out FILE.json]}:
 * training, sampling, energy-scoring and JSD figures as a table and JSON; with {@code --compare}, the
 * training step and sampling against PyTorch eager in alternating repetitions.
 */
final class BenchCommand {

    private BenchCommand() {}

    static int run(String[] args) {
        Args a = new Args("bench", args, Set.of("quick", "compare"));
        boolean quick = a.flag("quick");
        boolean compare = a.flag("compare");
        String python = a.string("python", System.getenv("GOLD_BENCH_PYTHON"));
        int threads = a.integer("threads", Runtime.getRuntime().availableProcessors());
        int reps = a.integer("reps", quick ? 1 : 3);
        String out = a.string("out", null);
        Set<String> only = new TreeSet<>(
                List.of(a.string("only", String.join(",", Benchmarks.GROUPS)).split(",")));
        a.done(List.of("--quick", "--compare", "--python", "--threads", "--reps", "--only", "--out"));
        if (!Benchmarks.GROUPS.containsAll(only)) {
            throw new UsageException("bench: --only takes a comma-separated list of " + new TreeSet<>(Benchmarks.GROUPS)
                    + ", got " + only);
        }
        if (compare && (python == null || python.isBlank())) {
            throw new UsageException("bench: --compare needs a Python with torch >= 2.0: --python PATH or"
                    + " GOLD_BENCH_PYTHON; environment/bench-python makes one and prints its path");
        }
        Benchmarks bench = Benchmarks.run(new Benchmarks.Settings(quick, compare ? python : null, threads, reps, only));
        System.out.print(bench.table());
        if (out != null) {
            try {
                Files.writeString(
                        Path.of(out),
                        new GsonBuilder()
                                .setPrettyPrinting()
                                .serializeSpecialFloatingPointValues()
                                .create()
                                .toJson(bench.results()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
        }
        return 0;
    }
}
