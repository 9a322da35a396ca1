package ai.goldkd.teacher;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One HTTP exchange of {@link OpenAiClient}: a connection slot out of its limit, a deadline that also covers
 * a body that stalls, and one "still waiting" line per period for the whole client.
 */
final class BoundedExchange {

    private final HttpClient http;
    private final Semaphore inFlight;
    private final AtomicLong attempts;
    private final AtomicLong lastNotice;
    private final Consumer<String> notices;
    private final Duration slowNotice;
    private final int maxConcurrency;

    BoundedExchange(
            HttpClient http,
            Semaphore inFlight,
            AtomicLong attempts,
            AtomicLong lastNotice,
            Consumer<String> notices,
            Duration slowNotice,
            int maxConcurrency) {
        this.http = http;
        this.inFlight = inFlight;
        this.attempts = attempts;
        this.lastNotice = lastNotice;
        this.notices = notices;
        this.slowNotice = slowNotice;
        this.maxConcurrency = maxConcurrency;
    }

    HttpResponse<String> send(HttpRequest request, Duration timeout) throws IOException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted while waiting for a free connection slot", 0);
        }
        attempts.incrementAndGet();
        // The request's own timeout ends at the headers; this deadline also covers a body that stalls.
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return await(future, request, timeout);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted while waiting for " + request.uri(), 0);
        } finally {
            inFlight.release();
        }
    }

    /** Waits for an answer up to the request timeout, saying every so often that it is still awaited. */
    private HttpResponse<String> await(
            CompletableFuture<HttpResponse<String>> future, HttpRequest request, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long period = slowNotice.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new TimeoutException();
            }
            try {
                return future.get(Math.min(deadline - now, period), TimeUnit.NANOSECONDS);
            } catch (TimeoutException slow) {
                long at = System.nanoTime();
                long last = lastNotice.get();
                // one line per period for the whole client, however many requests wait
                if (at < deadline && at - last >= period && lastNotice.compareAndSet(last, at)) {
                    notices.accept(String.format(
                            Locale.ROOT,
                            "waiting on the teacher at %s: no answer"
                                    + " for %.1f s (%d in flight; gives up after %d s, --timeout)",
                            request.uri(),
                            (at - start) / 1e9,
                            maxConcurrency - inFlight.availablePermits(),
                            timeout.toSeconds()));
                }
            }
        }
    }
}
