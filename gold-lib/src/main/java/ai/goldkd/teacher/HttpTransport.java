package ai.goldkd.teacher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 transport under {@link OpenAiServer}: one request per connection ({@code Connection:
 * close}), read in full, against a deadline, before a handler thread takes it.
 *
 * <p>Why not the JDK's {@code HttpServer}: its handler threads read the request body themselves, with
 * no time limit, so as many stalled uploads as threads block every other request. Here each
 * connection has a thread of its own while it is read (up to {@link ServerConfig#connections()}), every
 * read is bounded by what is left of {@link ServerConfig#readTimeout()} (408 after it), a body over
 * {@link ServerConfig#maxBodyBytes()} is refused unread (413), and only whole requests wait for one of
 * the {@link ServerConfig#threads()} answering permits.
 */
final class HttpTransport implements AutoCloseable {

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A request as read: method, path (without the query), headers by lower-case name, body. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {

        /** A header's value, or null; names are case-insensitive. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer: a JSON body, an optional Retry-After, and whether to send half of it and hang up (a fault). */
    record Response(int status, String body, String retryAfter, boolean truncate) {

        static Response json(int status, String body) {
            return new Response(status, body, null, false);
        }
    }

    /** What the server does with requests, and what it hears of those the transport answers itself. */
    interface Handler {

        /** Answers a whole request; never throws. */
        Response handle(Request request);

        /** The transport refused a request itself (408, 413, 431, 400, 503). */
        void refused(String method, String path, ApiError error);

        /** The client went away before its answer was written. */
        void hungUp(String method, String path, IOException cause);
    }

    private final ServerSocket socket;
    private final ServerConfig config;
    private final Handler handler;
    private final ExecutorService readers;
    private final Semaphore open;
    private final Semaphore answering;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpTransport(ServerSocket socket, ServerConfig config, Handler handler) {
        this.socket = socket;
        this.config = config;
        this.handler = handler;
        this.open = new Semaphore(config.connections());
        this.answering = new Semaphore(config.threads(), true);
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> daemon(r, "gold-serve-" + n.incrementAndGet()));
        this.acceptor = daemon(this::accept, "gold-serve-accept");
    }

    /**
     * Binds and starts accepting.
     *
     * @param address where to listen
     * @param config the limits
     * @param handler what answers requests
     * @return the running transport
     * @throws IOException when the address cannot be bound
     */
    static HttpTransport start(InetSocketAddress address, ServerConfig config, Handler handler) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address, 128);
        HttpTransport transport = new HttpTransport(socket, config, handler);
        transport.acceptor.start();
        return transport;
    }

    /** The bound port. */
    int port() {
        return socket.getLocalPort();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // a connection that failed while being accepted concerns only its client
            }
            if (!open.tryAcquire()) {
                // Full: say so at once rather than queue behind connections that may be stalled.
                ApiError busy = new ApiError(
                        503,
                        "server_error",
                        null,
                        "overloaded",
                        "the server holds " + config.connections() + " connections already; retry shortly");
                handler.refused("?", "?", busy);
                readers.execute(() -> {
                    try (client) {
                        HttpResponses.write(
                                client, Response.json(503, busy.toJson().toString()));
                    } catch (IOException gone) {
                        // nobody to tell
                    }
                });
                continue;
            }
            live.add(client);
            readers.execute(() -> {
                try {
                    serve(client);
                } finally {
                    live.remove(client);
                    open.release();
                }
            });
        }
    }

    private void serve(Socket client) {
        String method = "?";
        String path = "?";
        boolean unread = false;
        try (client) {
            client.setTcpNoDelay(true);
            DeadlineInput in = new DeadlineInput(
                    client, System.nanoTime() + config.readTimeout().toNanos());
            OutputStream out = client.getOutputStream();
            Request request;
            try {
                String line = in.line();
                if (line == null) {
                    return; // connected and left without a word
                }
                String[] parts = line.split(" ");
                if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                    throw new ApiError(
                            400,
                            "invalid_request_error",
                            null,
                            "bad_request",
                            "malformed request line;" + " send HTTP/1.1");
                }
                method = parts[0];
                int query = parts[1].indexOf('?');
                path = query < 0 ? parts[1] : parts[1].substring(0, query);
                Map<String, String> headers = headers(in);
                byte[] body = body(in, out, headers);
                request = new Request(method, path, headers, body);
            } catch (ApiError e) {
                unread = true;
                handler.refused(method, path, e);
                HttpResponses.writeAndLinger(
                        client, in, Response.json(e.status, e.toJson().toString()));
                return;
            } catch (SocketTimeoutException e) {
                unread = true;
                ApiError slow = new ApiError(
                        408,
                        "invalid_request_error",
                        null,
                        "request_timeout",
                        "the request did" + " not arrive within "
                                + config.readTimeout().toSeconds() + " s; send it whole and promptly");
                handler.refused(method, path, slow);
                HttpResponses.writeAndLinger(
                        client, in, Response.json(408, slow.toJson().toString()));
                return;
            }
            Response response;
            answering.acquireUninterruptibly();
            try {
                response = handler.handle(request);
            } finally {
                answering.release();
            }
            HttpResponses.write(client, response);
        } catch (IOException e) {
            if (!closed && !unread) {
                handler.hungUp(method, path, e);
            }
        }
    }

    private static Map<String, String> headers(DeadlineInput in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        int bytes = 0;
        while (true) {
            String line = in.line();
            if (line == null) {
                throw new SocketException("the client closed the connection inside the headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            bytes += line.length() + 2;
            if (bytes > MAX_HEADER_BYTES) {
                throw new ApiError(
                        431,
                        "invalid_request_error",
                        null,
                        "headers_too_large",
                        "the request headers" + " exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ApiError(400, "invalid_request_error", null, "bad_request", "malformed header line");
            }
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
    }

    private byte[] body(DeadlineInput in, OutputStream out, Map<String, String> headers) throws IOException {
        String encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            continueIfAsked(out, headers);
            return chunked(in);
        }
        String length = headers.get("content-length");
        if (length == null) {
            return new byte[0];
        }
        long n;
        try {
            n = Long.parseLong(length);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    null,
                    "bad_request",
                    "Content-Length '" + length + "' is not a length");
        }
        if (n > config.maxBodyBytes()) {
            throw tooLarge(n);
        }
        continueIfAsked(out, headers);
        byte[] body = new byte[(int) n];
        in.readFully(body);
        return body;
    }

    private ApiError tooLarge(long n) {
        return new ApiError(
                413,
                "invalid_request_error",
                null,
                "request_too_large",
                "the request body is "
                        + (n < 0 ? "over " + config.maxBodyBytes() : n) + " bytes, over this server's limit of "
                        + config.maxBodyBytes() + " bytes; send a shorter prompt");
    }

    private static void continueIfAsked(OutputStream out, Map<String, String> headers) throws IOException {
        String expect = headers.get("expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private byte[] chunked(DeadlineInput in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = in.line();
            if (line == null) {
                throw new SocketException("the client closed the connection inside a chunked body");
            }
            int semicolon = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid_request_error", null, "bad_request", "malformed chunk size");
            }
            if (size == 0) {
                while (true) {
                    String trailer = in.line();
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            if (size < 0 || body.size() + size > config.maxBodyBytes()) {
                throw tooLarge(-1);
            }
            byte[] chunk = new byte[(int) size];
            in.readFully(chunk);
            body.write(chunk);
            in.line(); // the CRLF after the chunk
        }
    }

    /** Stops accepting and closes every open connection (a stalled read then ends at once). */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : live) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        readers.shutdownNow();
        try {
            readers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
