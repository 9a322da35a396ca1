package ai.goldkd.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The divergences a config can name: the closed set of {@link Divergences} (and TAID's target), each
 * with its JSON name and the names of its parameters. A {@link DivergenceSpec} pairs a kind with the
 * parameters' values; adding a divergence is its factory plus one case here and in
 * {@link DivergenceSpec#create()}.
 */
public enum DivergenceKind {
    /** KL(p || q), {@link Divergences#forwardKl()}. */
    FORWARD_KL("forward_kl", List.of(), List.of("kl")),
    /** KL(q || p), {@link Divergences#reverseKl()}. */
    REVERSE_KL("reverse_kl", List.of(), List.of()),
    /** GKD's generalized JSD, {@link Divergences#generalizedJsd(float)}. */
    JSD("jsd", List.of("beta"), List.of("generalized_jsd")),
    /** DistiLLM's skew KL, {@link Divergences#skewKl(float)}. */
    SKEW_KL("skew_kl", List.of("alpha"), List.of()),
    /** DistiLLM's skew reverse KL, {@link Divergences#skewReverseKl(float)}. */
    SKEW_REVERSE_KL("skew_reverse_kl", List.of("alpha"), List.of()),
    /** Total variation distance, {@link Divergences#totalVariation()}. */
    TOTAL_VARIATION("total_variation", List.of(), List.of("tv")),
    /** AKL, {@link Divergences#adaptiveKl(float)}. */
    ADAPTIVE_KL("adaptive_kl", List.of("mu"), List.of("akl")),
    /** TAID's loss at a fixed interpolation, {@link Taid#at(float, Taid.Interpolation)}. */
    TAID("taid", List.of("t", "interpolation"), List.of());

    private final String key;
    private final List<String> parameters;
    private final List<String> aliases;

    DivergenceKind(String key, List<String> parameters, List<String> aliases) {
        this.key = key;
        this.parameters = parameters;
        this.aliases = aliases;
    }

    /** The name in JSON and in {@link Divergence#name()}, e.g. {@code jsd}. */
    public String key() {
        return key;
    }

    /** The JSON names of the parameters, in order; empty for the parameter-free ones. */
    public List<String> parameters() {
        return parameters;
    }

    /**
     * Reads a kind by its JSON name (case and {@code -}/{@code _} do not matter; {@code kl}, {@code tv},
     * {@code akl}, {@code generalized_jsd} are accepted too).
     *
     * @param name the name
     * @return the kind
     * @throws IllegalArgumentException naming the value and every known kind with its parameters
     */
    public static DivergenceKind parse(String name) {
        String k = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (DivergenceKind kind : values()) {
            if (kind.key.equals(k) || kind.aliases.contains(k)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("divergence '" + name + "' is unknown; use " + known());
    }

    /** Every kind with its parameters, for messages: {@code forward_kl, ..., jsd (beta), ...}. */
    static String known() {
        List<String> all = new ArrayList<>();
        for (DivergenceKind kind : values()) {
            all.add(kind.parameters.isEmpty() ? kind.key : kind.key + " (" + String.join(", ", kind.parameters) + ")");
        }
        return String.join(", ", all);
    }
}
