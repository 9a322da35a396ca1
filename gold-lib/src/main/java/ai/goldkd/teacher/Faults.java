package ai.goldkd.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Faults that {@link OpenAiServer} injects into its answers, so clients' resilience is tested over real
 * HTTP. Each generation request draws one number from a random source seeded with {@code seed}; the
 * faults' probabilities are laid end to end, and the request gets the fault its number falls on (or
 * none). With one client sending one request at a time, the faults fall on the same requests every run.
 *
 * <p>The spec is a comma-separated list of {@code KIND:PROBABILITY[@PARAM]}, probabilities summing to at
 * most 1, e.g. {@code 429:0.1@1,500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000}:
 * <ul>
 *   <li>{@code 429} or a 5xx code such as {@code 500} or {@code 503}: answer with that status and an
 *       OpenAI-style error body; {@code @S} adds {@code Retry-After: S} (whole seconds)</li>
 *   <li>{@code garbage}: answer 200 with a body that is not JSON</li>
 *   <li>{@code truncate}: answer 200, announce the full body's length, send half of it and drop the
 *       connection</li>
 *   <li>{@code delay}: answer normally after {@code @MS} milliseconds (default 1000)</li>
 * </ul>
 *
 * @param faults the faults, in the order their probability bands are laid out
 * @param seed the random source's seed
 */
public record Faults(List<Fault> faults, long seed) {

    /** What a fault does. */
    public enum Kind {
        /** Answer with an HTTP error status (429 or 5xx). */
        STATUS,
        /** Answer 200 with a body that is not JSON. */
        GARBAGE,
        /** Send half of the body and drop the connection. */
        TRUNCATE,
        /** Answer normally, late. */
        DELAY
    }

    /**
     * One fault.
     *
     * @param kind what it does
     * @param status the HTTP status for {@link Kind#STATUS}, else 0
     * @param probability the share of requests it hits, in (0, 1]
     * @param param Retry-After seconds for a status (0 = no header), milliseconds for a delay, else 0
     */
    public record Fault(Kind kind, int status, double probability, long param) {

        /** Checks the fields. */
        public Fault {
            if (kind == null) {
                throw new IllegalArgumentException("a fault's kind is null; use STATUS, GARBAGE, TRUNCATE or DELAY");
            }
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("a fault's probability must be in (0, 1], got " + probability);
            }
            if (kind == Kind.STATUS && status != 429 && (status < 500 || status > 599)) {
                throw new IllegalArgumentException("fault status " + status + " is not retryable; inject 429 or 5xx"
                        + " (4xx other than 429 would be reported to the client as its own mistake)");
            }
            if (param < 0) {
                throw new IllegalArgumentException("a fault's parameter must be >= 0, got " + param);
            }
        }
    }

    /** Checks the list and the total probability. */
    public Faults {
        faults = faults == null ? List.of() : List.copyOf(faults);
        double total = faults.stream().mapToDouble(Fault::probability).sum();
        if (total > 1 + 1e-9) {
            throw new IllegalArgumentException("fault probabilities sum to " + total + " > 1; lower them");
        }
    }

    /** No faults. */
    public static Faults none() {
        return new Faults(List.of(), 0L);
    }

    /**
     * Parses a spec such as {@code 429:0.1@1,500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000}.
     *
     * @param spec the spec; null or blank for none
     * @param seed the random source's seed
     * @return the faults
     * @throws IllegalArgumentException naming the bad item and the expected form
     */
    public static Faults parse(String spec, long seed) {
        if (spec == null || spec.isBlank()) {
            return new Faults(List.of(), seed);
        }
        List<Fault> faults = new ArrayList<>();
        for (String item : spec.split(",")) {
            faults.add(parseItem(item.trim()));
        }
        return new Faults(faults, seed);
    }

    private static Fault parseItem(String item) {
        String form = "expected KIND:PROBABILITY[@PARAM] with KIND 429, a 5xx code, garbage, truncate or delay,"
                + " e.g. 429:0.1@1 or delay:0.1@2000";
        int colon = item.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("fault '" + item + "': " + form);
        }
        String kind = item.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = item.substring(colon + 1);
        int at = rest.indexOf('@');
        double probability;
        long param;
        try {
            probability = Double.parseDouble(at < 0 ? rest : rest.substring(0, at));
            param = at < 0 ? -1 : Long.parseLong(rest.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault '" + item + "': bad number; " + form);
        }
        return switch (kind) {
            case "garbage" -> new Fault(Kind.GARBAGE, 0, probability, 0);
            case "truncate" -> new Fault(Kind.TRUNCATE, 0, probability, 0);
            case "delay" -> new Fault(Kind.DELAY, 0, probability, param < 0 ? 1000 : param);
            default -> {
                int status;
                try {
                    status = Integer.parseInt(kind);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("fault '" + item + "': unknown kind '" + kind + "'; " + form);
                }
                yield new Fault(Kind.STATUS, status, probability, Math.max(0, param));
            }
        };
    }

    /** A seeded source of faults for one server; thread-safe. */
    public Injector injector() {
        return new Injector(this);
    }

    /** Draws the fault for each request in arrival order. */
    public static final class Injector {

        private final Faults faults;
        private final SplittableRandom random;

        private Injector(Faults faults) {
            this.faults = faults;
            this.random = new SplittableRandom(faults.seed());
        }

        /** @return the fault for the next request, or null for none */
        public synchronized Fault next() {
            if (faults.faults().isEmpty()) {
                return null;
            }
            double u = random.nextDouble();
            double cumulative = 0;
            for (Fault f : faults.faults()) {
                cumulative += f.probability();
                if (u < cumulative) {
                    return f;
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        if (faults.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (Fault f : faults) {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(
                            switch (f.kind()) {
                                case STATUS -> String.valueOf(f.status());
                                case GARBAGE -> "garbage";
                                case TRUNCATE -> "truncate";
                                case DELAY -> "delay";
                            })
                    .append(':')
                    .append(f.probability());
            if (f.param() > 0) {
                s.append('@').append(f.param());
            }
        }
        return s + " (seed " + seed + ")";
    }
}
