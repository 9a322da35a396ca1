package ai.goldkd.teacher;

/**
 * How {@link OpenAiServer} listens.
 *
 * @param host the address to bind; {@code 127.0.0.1} keeps the server off the network
 * @param port the port; 0 picks a free one
 * @param token the bearer token that clients must send, or null for none; never printed
 * @param faults the faults to inject, {@link Faults#none()} for a healthy server
 * @param threads how many requests are read and answered at once (generation itself runs one at a time)
 * @param maxN the largest {@code n} a request may ask for
 */
public record ServerConfig(String host, int port, String token, Faults faults, int threads, int maxN) {

    /** Checks every field and names the bad value. */
    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty; use 127.0.0.1 (this machine only) or 0.0.0.0 (all)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535] (0 = any free port), got " + port);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is blank; give a non-empty token or none");
        }
        faults = faults == null ? Faults.none() : faults;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxN < 1) {
            throw new IllegalArgumentException("maxN must be >= 1, got " + maxN);
        }
    }

    /** 127.0.0.1:8000, no token, no faults, 4 threads, n up to 16. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8000, null, Faults.none(), 4, 16);
    }

    /** @return a copy bound to another host */
    public ServerConfig withHost(String value) {
        return new ServerConfig(value, port, token, faults, threads, maxN);
    }

    /** @return a copy on another port (0 = any free one) */
    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, token, faults, threads, maxN);
    }

    /** @return a copy that requires a bearer token (null = none) */
    public ServerConfig withToken(String value) {
        return new ServerConfig(host, port, value, faults, threads, maxN);
    }

    /** @return a copy that injects faults */
    public ServerConfig withFaults(Faults value) {
        return new ServerConfig(host, port, token, value, threads, maxN);
    }

    /** @return a copy with another number of handler threads */
    public ServerConfig withThreads(int value) {
        return new ServerConfig(host, port, token, faults, value, maxN);
    }

    /** @return a copy with another limit on n */
    public ServerConfig withMaxN(int value) {
        return new ServerConfig(host, port, token, faults, threads, value);
    }

    /** Shows whether a token is set, never the token. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "***")
                + ", faults=" + faults + ", threads=" + threads + ", maxN=" + maxN + "]";
    }
}
