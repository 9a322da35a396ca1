package ai.goldkd.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One teacher behind several endpoints (replicas of a model behind vLLM, Ollama or a hosted API): the
 * requests of a batch go to whichever endpoint has a free slot, each endpoint with its own concurrency
 * limit, so a faster replica takes more of the work. An endpoint that fails {@code maxConsecutiveFailures}
 * requests in a row is dropped for good and its failed work goes to the others; a batch fails only the
 * requests that no endpoint could answer. Each endpoint's own client does its retries and timeouts.
 */
public final class EndpointPool implements Generator {

    /**
     * One endpoint and how many of its requests may run at once.
     *
     * @param name how stats and messages name it (its URL)
     * @param generator its client
     * @param concurrency requests at once, at least 1
     */
    public record Endpoint(String name, Generator generator, int concurrency) {

        /** Checks the fields. */
        public Endpoint {
            if (concurrency < 1) {
                throw new IllegalArgumentException(
                        "endpoint " + name + ": concurrency must be >= 1, got " + concurrency);
            }
        }
    }

    /**
     * What one endpoint has done.
     *
     * @param name the endpoint
     * @param answered requests it answered
     * @param failed requests it failed
     * @param alive false once it was dropped
     */
    public record EndpointStats(String name, long answered, long failed, boolean alive) {}

    private final List<Endpoint> endpoints;
    private final int maxConsecutiveFailures;
    private final AtomicLong[] answered;
    private final AtomicLong[] failed;
    private final AtomicInteger[] consecutive;
    private final boolean[] dead;

    /**
     * A pool.
     *
     * @param endpoints at least one endpoint
     * @param maxConsecutiveFailures failures in a row after which an endpoint is dropped, at least 1
     */
    public EndpointPool(List<Endpoint> endpoints, int maxConsecutiveFailures) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("an endpoint pool needs at least one endpoint");
        }
        if (maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException("maxConsecutiveFailures must be >= 1, got " + maxConsecutiveFailures);
        }
        this.endpoints = List.copyOf(endpoints);
        this.maxConsecutiveFailures = maxConsecutiveFailures;
        int n = endpoints.size();
        answered = new AtomicLong[n];
        failed = new AtomicLong[n];
        consecutive = new AtomicInteger[n];
        dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            answered[i] = new AtomicLong();
            failed[i] = new AtomicLong();
            consecutive[i] = new AtomicInteger();
        }
    }

    /** The endpoints, in the order given. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /**
     * Drops an endpoint for good before it is asked anything, e.g. one that did not answer the
     * reachability check; its stats show it not alive.
     *
     * @param index its position in {@link #endpoints()}
     * @throws IllegalStateException when it is the last endpoint alive
     */
    public synchronized void drop(int index) {
        dead[index] = true;
        if (!anyAlive()) {
            dead[index] = false;
            throw new IllegalStateException(
                    "cannot drop " + endpoints.get(index).name() + ": it is the last endpoint" + " alive");
        }
    }

    /** Each endpoint's stats, in the order given. */
    public synchronized List<EndpointStats> stats() {
        List<EndpointStats> out = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            out.add(new EndpointStats(endpoints.get(i).name(), answered[i].get(), failed[i].get(), !dead[i]));
        }
        return out;
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        GenerationResult result = generateAll(List.of(request)).get(0);
        if (!result.ok()) {
            throw new GenerationException(result.error(), 0);
        }
        return result.completions();
    }

    @Override
    public List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        AtomicReferenceArray<GenerationResult> out = new AtomicReferenceArray<>(requests.size());
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < requests.size(); i++) {
            queue.add(i);
        }
        AtomicReferenceArray<String> lastError = new AtomicReferenceArray<>(requests.size());
        AtomicInteger unresolved = new AtomicInteger(requests.size());
        List<Thread> workers = new ArrayList<>();
        for (int e = 0; e < endpoints.size(); e++) {
            if (isDead(e)) {
                continue;
            }
            for (int slot = 0; slot < endpoints.get(e).concurrency(); slot++) {
                int endpoint = e;
                Thread worker = new Thread(
                        () -> work(endpoint, requests, queue, out, lastError, unresolved),
                        "gold-endpoint-" + e + "-" + slot);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new GenerationException("interrupted while waiting on the endpoints", 0);
            }
        }
        List<GenerationResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            GenerationResult r = out.get(i);
            results.add(
                    r != null
                            ? r
                            : GenerationResult.failure(
                                    i,
                                    "no endpoint could answer (every endpoint was" + " dropped after "
                                            + maxConsecutiveFailures + " failures in a row); last error: "
                                            + lastError.get(i)));
        }
        return results;
    }

    private void work(
            int endpoint,
            List<GenerationRequest> requests,
            ConcurrentLinkedQueue<Integer> queue,
            AtomicReferenceArray<GenerationResult> out,
            AtomicReferenceArray<String> lastError,
            AtomicInteger unresolved) {
        Endpoint target = endpoints.get(endpoint);
        // A worker stays until every request is answered, not only until the queue is empty: a request
        // another endpoint failed comes back to the queue for the endpoints still alive.
        while (!isDead(endpoint) && unresolved.get() > 0) {
            Integer index = queue.poll();
            if (index == null) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            try {
                List<Completion> completions = target.generator().generate(requests.get(index));
                out.set(index, GenerationResult.success(index, completions));
                answered[endpoint].incrementAndGet();
                consecutive[endpoint].set(0);
                unresolved.decrementAndGet();
            } catch (GenerationException | IllegalArgumentException | IllegalStateException e) {
                failed[endpoint].incrementAndGet();
                lastError.set(index, target.name() + ": " + e.getMessage());
                if (consecutive[endpoint].incrementAndGet() >= maxConsecutiveFailures) {
                    markDead(endpoint);
                }
                if (anyAlive()) {
                    queue.add(index); // an endpoint still alive takes it
                } else {
                    unresolved.set(0); // nobody is left to answer: the batch ends with these failed
                    return;
                }
            }
        }
    }

    private synchronized boolean isDead(int endpoint) {
        return dead[endpoint];
    }

    private synchronized void markDead(int endpoint) {
        dead[endpoint] = true;
    }

    private synchronized boolean anyAlive() {
        for (boolean d : dead) {
            if (!d) {
                return true;
            }
        }
        return false;
    }
}
