package ai.goldkd.cli;

import ai.goldkd.data.TaskCatalog;
import ai.goldkd.gold.GoldTeachers;
import ai.goldkd.gold.TeacherKind;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.offline.ImdbTeachers;
import ai.goldkd.offline.LatentTopicConfig;
import ai.goldkd.offline.LatentTopicTeacher;
import ai.goldkd.offline.TeacherRecipe;
import ai.goldkd.offline.TeacherStore;
import ai.goldkd.offline.TopicNgramModel;
import ai.goldkd.offline.TransformerTeacher;
import ai.goldkd.teacher.Faults;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.ServableModel;
import ai.goldkd.teacher.ServerConfig;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code gold serve}: an OpenAI-compatible server for a local model, until killed. */
final class ServeCommand {

    private static final String USAGE = """
            usage: gold serve --model imdb|imdb-cache|imdb-transformer|arithmetic|arithmetic-writer|DIR [--port P] [--host H] [--name NAME] [--token T | --token-env VAR]
                              [--faults SPEC] [--fault-seed S] [--threads N] [--max-n N] [--quiet]
                              [--read-timeout S] [--max-body BYTES] [--connections N]
              --model M        imdb: the latent-topic IMDB teacher (built on first use, or by gold teacher build imdb);
                               imdb-cache: the trigram + cache baseline; imdb-transformer: the small
                               transformer LM (trained on first use, or by gold teacher build imdb-transformer);
                               arithmetic: the teacher that gold teacher build arithmetic built (it answers);
                               arithmetic-writer: the offline writer of whole arithmetic problems (counted from
                               TRAIN at start, ~1 s); DIR: a checkpoint directory (gold lm train --out DIR), a Hugging Face model directory (hf:DIR or a path), or an
                               IMDB teacher directory ($GOLD_HOME/teachers/imdb-HASH or imdb-transformer-HASH)
              --port P         default 8000; 0 picks a free port
              --host H         default 127.0.0.1 (this machine only)
              --name NAME      the model name clients send; default the directory's name
              --token T        require 'Authorization: Bearer T' (--token-env VAR reads it from $VAR instead,
                               which keeps it out of the process list)
              --faults SPEC    inject faults, e.g. 429:0.1@1,500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000
              --threads N      requests answered at once (default 4); a request is read whole before it takes one
              --read-timeout S seconds a request may take to arrive, else 408 (default 30)
              --max-body BYTES the largest request body, else 413 (default 4194304)
              --connections N  connections read at once, else 503 (default 64)
            """;

    private ServeCommand() {}

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            throw new UsageException(
                    "serve needs --model imdb|imdb-cache|imdb-transformer|arithmetic|arithmetic-writer|DIR\n" + USAGE);
        }
        Args a = new Args("serve", args, Set.of("quiet"));
        String model = a.required("model");
        TeacherKind offline = TeacherKind.offlineLabels().contains(model) ? TeacherKind.parse(model) : null;
        Path dir = offline == TeacherKind.ARITHMETIC_WRITER
                ? TaskCatalog.locate().arithmeticDir()
                : offline != null
                        ? ImdbTeachers.root()
                        : model.equals("arithmetic")
                                ? ArithmeticTeacher.builtDefault()
                                // hf:DIR, or a path that does not exist (a hub id gets the offline message)
                                : model.startsWith(HfCheckpoint.SCHEME) || !Files.exists(Path.of(model))
                                        ? HfCheckpoint.resolve(model)
                                        : Path.of(model);
        ServerConfig d = ServerConfig.defaults();
        String token = a.string("token", null);
        String tokenEnv = a.string("token-env", null);
        if (token != null && tokenEnv != null) {
            throw new UsageException("serve: give --token or --token-env, not both");
        }
        if (tokenEnv != null) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new UsageException(
                        "serve: --token-env " + tokenEnv + " names an unset or empty variable; export it first");
            }
        }
        Faults faults;
        try {
            faults = Faults.parse(a.string("faults", null), a.longValue("fault-seed", 0L));
        } catch (IllegalArgumentException e) {
            throw new UsageException("serve: --faults: " + e.getMessage());
        }
        int threads = a.integer("threads", d.threads());
        int connections = a.integer("connections", Math.max(d.connections(), threads));
        ServerConfig config = new ServerConfig(
                a.string("host", d.host()),
                a.integer("port", d.port()),
                token,
                faults,
                threads,
                a.integer("max-n", d.maxN()),
                Duration.ofMillis(Math.round(
                        1000.0 * a.real("read-timeout", d.readTimeout().toMillis() / 1000f))),
                a.longValue("max-body", d.maxBodyBytes()),
                connections);
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        String name = a.string("name", offline != null ? model : fileName == null ? "gold" : fileName.toString());
        boolean quiet = a.flag("quiet");
        a.done(List.of(
                "--model",
                "--port",
                "--host",
                "--name",
                "--token",
                "--token-env",
                "--faults",
                "--fault-seed",
                "--threads",
                "--max-n",
                "--read-timeout",
                "--max-body",
                "--connections",
                "--quiet"));

        ServableModel teacher = offline != null ? GoldTeachers.offline(offline) : load(dir);
        OpenAiServer server;
        try {
            server = OpenAiServer.start(teacher, name, config, quiet ? null : System.err);
        } catch (RuntimeException e) {
            close(teacher);
            throw new IllegalStateException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            close(teacher);
                            stopped.countDown();
                        },
                        "gold-serve-shutdown"));
        System.out.println("serving " + name + " (" + dir + ") at " + server.baseUrl()
                + (token == null ? "" : ", bearer token required")
                + (faults.faults().isEmpty() ? "" : ", faults " + faults));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** An IMDB teacher directory, or a checkpoint. */
    private static ServableModel load(Path dir) {
        if (Files.isRegularFile(dir.resolve(TransformerTeacher.META_FILE))) {
            return TransformerTeacher.load(dir);
        }
        if (Files.isRegularFile(dir.resolve(TeacherStore.MODEL_FILE))) {
            return new LatentTopicTeacher(
                    TopicNgramModel.load(dir.resolve(TeacherStore.MODEL_FILE), recipeOf(dir)),
                    LatentTopicConfig.defaults());
        }
        return LocalTeacher.load(dir);
    }

    /** The recipe a teacher directory's recipe.json records. */
    private static TeacherRecipe recipeOf(Path dir) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(dir.resolve(TeacherStore.RECIPE_FILE)))
                    .getAsJsonObject();
            return new Gson().fromJson(json.get("recipe"), TeacherRecipe.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "--model " + dir + ": cannot read its " + TeacherStore.RECIPE_FILE + " (" + e.getMessage()
                            + "); build it again with `gold teacher build imdb`",
                    e);
        }
    }

    private static void close(ServableModel teacher) {
        if (teacher instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing at exit: nothing left to do
            }
        }
    }
}
