package ai.goldkd.teacher;

import java.time.Duration;

/**
 * How {@link OpenAiServer} listens.
 *
 * @param host the address to bind; {@code 127.0.0.1} keeps the server off the network
 * @param port the port; 0 picks a free one
 * @param token the bearer token that clients must send, or null for none; never printed
 * @param faults the faults to inject, {@link Faults#none()} for a healthy server
 * @param threads how many requests are answered at once (generation itself runs one at a time); a
 *     request is read in full before it takes one of these, so a slow upload holds none
 * @param maxN the largest {@code n} a request may ask for
 * @param readTimeout how long a request (request line, headers and body) may take to arrive; a
 *     slower one is answered 408 and its connection closed
 * @param maxBodyBytes the largest request body; a larger one is answered 413 unread
 * @param connections how many connections are read at once; one more is answered 503 at once
 */
public record ServerConfig(
        String host,
        int port,
        String token,
        Faults faults,
        int threads,
        int maxN,
        Duration readTimeout,
        long maxBodyBytes,
        int connections) {

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
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive, got " + readTimeout
                    + "; 30 s suits any client on a working network");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + maxBodyBytes);
        }
        if (connections < threads) {
            throw new IllegalArgumentException("connections (" + connections + ") must be >= threads (" + threads
                    + "): every request being answered holds a connection");
        }
    }

    /**
     * 127.0.0.1:8000, no token, no faults, 4 threads, n up to 16, 30 s to send a request, bodies up to
     * 4 MiB, 64 connections.
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8000, null, Faults.none(), 4, 16, Duration.ofSeconds(30), 4L << 20, 64);
    }

    /** @return a copy bound to another host */
    public ServerConfig withHost(String value) {
        return new ServerConfig(value, port, token, faults, threads, maxN, readTimeout, maxBodyBytes, connections);
    }

    /** @return a copy on another port (0 = any free one) */
    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, token, faults, threads, maxN, readTimeout, maxBodyBytes, connections);
    }

    /** @return a copy that requires a bearer token (null = none) */
    public ServerConfig withToken(String value) {
        return new ServerConfig(host, port, value, faults, threads, maxN, readTimeout, maxBodyBytes, connections);
    }

    /** @return a copy that injects faults */
    public ServerConfig withFaults(Faults value) {
        return new ServerConfig(host, port, token, value, threads, maxN, readTimeout, maxBodyBytes, connections);
    }

    /** @return a copy with another number of handler threads */
    public ServerConfig withThreads(int value) {
        return new ServerConfig(
                host, port, token, faults, value, maxN, readTimeout, maxBodyBytes, Math.max(connections, value));
    }

    /** @return a copy with another limit on n */
    public ServerConfig withMaxN(int value) {
        return new ServerConfig(host, port, token, faults, threads, value, readTimeout, maxBodyBytes, connections);
    }

    /** @return a copy with another time limit for a request to arrive */
    public ServerConfig withReadTimeout(Duration value) {
        return new ServerConfig(host, port, token, faults, threads, maxN, value, maxBodyBytes, connections);
    }

    /** @return a copy with another body size limit */
    public ServerConfig withMaxBodyBytes(long value) {
        return new ServerConfig(host, port, token, faults, threads, maxN, readTimeout, value, connections);
    }

    /** @return a copy with another limit on connections read at once */
    public ServerConfig withConnections(int value) {
        return new ServerConfig(host, port, token, faults, threads, maxN, readTimeout, maxBodyBytes, value);
    }

    /** Shows whether a token is set, never the token. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "***")
                + ", faults=" + faults + ", threads=" + threads + ", maxN=" + maxN + ", readTimeout=" + readTimeout
                + ", maxBodyBytes=" + maxBodyBytes + ", connections=" + connections + "]";
    }
}
