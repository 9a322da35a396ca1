package ai.goldkd.teacher;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/** A socket's input where every read waits at most until one deadline. */
final class DeadlineInput {
    private final Socket socket;
    private final InputStream raw;
    private final long deadline;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    DeadlineInput(Socket socket, long deadline) throws IOException {
        this.socket = socket;
        this.raw = socket.getInputStream();
        this.deadline = deadline;
    }

    private boolean fill(long until) throws IOException {
        long left = until - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
        int n = raw.read(buffer);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** One line without its CRLF (ISO-8859-1), or null at the end of the stream. */
    String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position == limit && !fill(deadline)) {
                return line.length() == 0 ? null : line.toString();
            }
            char c = (char) (buffer[position++] & 0xff);
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append(c);
            if (line.length() > HttpTransport.MAX_HEADER_BYTES) {
                throw new ApiError(
                        431,
                        "invalid_request_error",
                        null,
                        "headers_too_large",
                        "a request line or" + " header exceeds " + HttpTransport.MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    void readFully(byte[] out) throws IOException {
        int done = 0;
        while (done < out.length) {
            if (position == limit && !fill(deadline)) {
                throw new SocketException(
                        "the client closed the connection after " + done + " of " + out.length + " body bytes");
            }
            int n = Math.min(out.length - done, limit - position);
            System.arraycopy(buffer, position, out, done, n);
            position += n;
            done += n;
        }
    }

    void drain(long until) throws IOException {
        position = limit;
        while (fill(until)) {
            position = limit;
        }
    }
}
