package ai.goldkd.cli;

import ai.goldkd.teacher.Faults;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.ServerConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code gold serve}: an OpenAI-compatible server for a local model, until killed. */
final class ServeCommand {

    private static final String USAGE = """
            usage: gold serve --model DIR [--port P] [--host H] [--name NAME] [--token T | --token-env VAR]
                              [--faults SPEC] [--fault-seed S] [--threads N] [--max-n N] [--quiet]
              --model DIR      a checkpoint directory (gold lm train --out DIR)
              --port P         default 8000; 0 picks a free port
              --host H         default 127.0.0.1 (this machine only)
              --name NAME      the model name clients send; default the directory's name
              --token T        require 'Authorization: Bearer T' (--token-env VAR reads it from $VAR instead,
                               which keeps it out of the process list)
              --faults SPEC    inject faults, e.g. 429:0.1@1,500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000
            """;

    private ServeCommand() {}

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            throw new UsageException("serve needs --model DIR\n" + USAGE);
        }
        Args a = new Args("serve", args, Set.of("quiet"));
        Path dir = Path.of(a.required("model"));
        ServerConfig d = ServerConfig.defaults();
        String token = a.string("token", null);
        String tokenEnv = a.string("token-env", null);
        if (token != null && tokenEnv != null) {
            throw new UsageException("serve: give --token or --token-env, not both");
        }
        if (tokenEnv != null) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new UsageException("serve: --token-env " + tokenEnv + " names an unset or empty variable; export it first");
            }
        }
        Faults faults;
        try {
            faults = Faults.parse(a.string("faults", null), a.longValue("fault-seed", 0L));
        } catch (IllegalArgumentException e) {
            throw new UsageException("serve: --faults: " + e.getMessage());
        }
        ServerConfig config = new ServerConfig(a.string("host", d.host()), a.integer("port", d.port()), token, faults,
                a.integer("threads", d.threads()), a.integer("max-n", d.maxN()));
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        String name = a.string("name", fileName == null ? "gold" : fileName.toString());
        boolean quiet = a.flag("quiet");
        a.done(List.of("--model", "--port", "--host", "--name", "--token", "--token-env", "--faults", "--fault-seed",
                "--threads", "--max-n", "--quiet"));

        LocalTeacher teacher = LocalTeacher.load(dir);
        OpenAiServer server;
        try {
            server = OpenAiServer.start(teacher, name, config, quiet ? null : System.err);
        } catch (RuntimeException e) {
            teacher.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            teacher.close();
            stopped.countDown();
        }, "gold-serve-shutdown"));
        System.out.println("serving " + name + " (" + dir + ") at " + server.baseUrl()
                + (token == null ? "" : ", bearer token required") + (faults.faults().isEmpty() ? "" : ", faults " + faults));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
