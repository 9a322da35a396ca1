package ai.goldkd.teacher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Writing an answer of {@link HttpTransport}: the status line, headers and body, and closing politely. */
final class HttpResponses {

    private HttpResponses() {}

    static void write(Socket client, HttpTransport.Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(response.status())
                .append(' ')
                .append(reason(response.status()))
                .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length)
                .append("\r\nConnection: close\r\n");
        if (response.retryAfter() != null) {
            head.append("Retry-After: ").append(response.retryAfter()).append("\r\n");
        }
        head.append("\r\n");
        OutputStream out = client.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        // a truncation fault announces the whole body, sends half and hangs up
        out.write(body, 0, response.truncate() ? body.length / 2 : body.length);
        out.flush();
    }

    /**
     * Answers a request that was not read to its end, then reads and drops what the client still sends
     * for a moment, so that closing does not reset the connection before the client reads the answer.
     */
    static void writeAndLinger(Socket client, DeadlineInput in, HttpTransport.Response response) throws IOException {
        write(client, response);
        client.shutdownOutput();
        long until = System.nanoTime() + HttpTransport.LINGER_NANOS;
        try {
            in.drain(until);
        } catch (IOException done) {
            // the client hung up or kept sending: either way the connection goes now
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
