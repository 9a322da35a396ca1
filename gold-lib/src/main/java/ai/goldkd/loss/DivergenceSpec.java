package ai.goldkd.loss;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A divergence as data: its {@link DivergenceKind} and its parameters as fields, so a config can hold,
 * compare, write and read it back. A field the kind does not take is NaN (or null); {@link #create()}
 * makes the {@link Divergence}. In JSON the parameters are fields beside the kind:
 *
 * <pre>{@code
 * {"kind": "jsd", "beta": 0.5}      {"kind": "taid", "t": 0.4, "interpolation": "probabilities"}
 * "reverse_kl"                      (a bare name: the kind at its usual parameters)
 * }</pre>
 *
 * @param kind which divergence
 * @param beta the generalized JSD's teacher weight in [0, 1] ({@link DivergenceKind#JSD}), else NaN
 * @param alpha the skew KLs' mixture weight in [0, 1] ({@link DivergenceKind#SKEW_KL},
 *     {@link DivergenceKind#SKEW_REVERSE_KL}), else NaN
 * @param mu AKL's tail mass in (0, 1) ({@link DivergenceKind#ADAPTIVE_KL}), else NaN
 * @param t TAID's interpolation in [0, 1] ({@link DivergenceKind#TAID}), else NaN
 * @param interpolation where TAID interpolates ({@link DivergenceKind#TAID}), else null
 */
public record DivergenceSpec(
        DivergenceKind kind, float beta, float alpha, float mu, float t, Taid.Interpolation interpolation) {

    private static final float NONE = Float.NaN;

    /** Checks that the kind takes exactly the parameters given and that their values are in range. */
    public DivergenceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("divergence kind is null; use one of " + DivergenceKind.known());
        }
        unused(kind, "beta", beta);
        unused(kind, "alpha", alpha);
        unused(kind, "mu", mu);
        unused(kind, "t", t);
        if (interpolation != null && !kind.parameters().contains("interpolation")) {
            throw new IllegalArgumentException(
                    kind.key() + " takes no interpolation (got " + interpolation + "); only taid does");
        }
        build(kind, beta, alpha, mu, t, interpolation); // the factories check the values
    }

    /** KL(p || q). */
    public static DivergenceSpec forwardKl() {
        return of(DivergenceKind.FORWARD_KL);
    }

    /** KL(q || p). */
    public static DivergenceSpec reverseKl() {
        return of(DivergenceKind.REVERSE_KL);
    }

    /**
     * The generalized JSD.
     *
     * @param beta the teacher's weight in the mixture, in [0, 1]
     * @return the spec
     */
    public static DivergenceSpec jsd(float beta) {
        return new DivergenceSpec(DivergenceKind.JSD, beta, NONE, NONE, NONE, null);
    }

    /**
     * DistiLLM's skew KL.
     *
     * @param alpha the teacher's weight in the mixture, in [0, 1]
     * @return the spec
     */
    public static DivergenceSpec skewKl(float alpha) {
        return new DivergenceSpec(DivergenceKind.SKEW_KL, NONE, alpha, NONE, NONE, null);
    }

    /**
     * DistiLLM's skew reverse KL.
     *
     * @param alpha the student's weight in the mixture, in [0, 1]
     * @return the spec
     */
    public static DivergenceSpec skewReverseKl(float alpha) {
        return new DivergenceSpec(DivergenceKind.SKEW_REVERSE_KL, NONE, alpha, NONE, NONE, null);
    }

    /** Total variation distance. */
    public static DivergenceSpec totalVariation() {
        return of(DivergenceKind.TOTAL_VARIATION);
    }

    /**
     * Adaptive KL.
     *
     * @param mu the tail's mass, in (0, 1)
     * @return the spec
     */
    public static DivergenceSpec adaptiveKl(float mu) {
        return new DivergenceSpec(DivergenceKind.ADAPTIVE_KL, NONE, NONE, mu, NONE, null);
    }

    /**
     * TAID's loss at a fixed interpolation.
     *
     * @param t the interpolation, in [0, 1]
     * @param interpolation logits (the paper) or probabilities
     * @return the spec
     */
    public static DivergenceSpec taid(float t, Taid.Interpolation interpolation) {
        return new DivergenceSpec(DivergenceKind.TAID, NONE, NONE, NONE, t, interpolation);
    }

    /**
     * A kind at its usual parameters: JSD beta 0.5, skew KLs alpha 0.1 (DistiLLM), AKL mu 0.5, TAID t 1
     * with logit interpolation (the teacher itself as the target).
     *
     * @param kind the kind
     * @return the spec
     */
    public static DivergenceSpec of(DivergenceKind kind) {
        if (kind == null) {
            throw new IllegalArgumentException("divergence kind is null; use one of " + DivergenceKind.known());
        }
        return switch (kind) {
            case FORWARD_KL, REVERSE_KL, TOTAL_VARIATION -> new DivergenceSpec(kind, NONE, NONE, NONE, NONE, null);
            case JSD -> jsd(0.5f);
            case SKEW_KL -> skewKl(0.1f);
            case SKEW_REVERSE_KL -> skewReverseKl(0.1f);
            case ADAPTIVE_KL -> adaptiveKl(0.5f);
            case TAID -> taid(1f, Taid.Interpolation.LOGITS);
        };
    }

    /** Makes the divergence. */
    public Divergence create() {
        return build(kind, beta, alpha, mu, t, interpolation);
    }

    /** The divergence's display name with its parameters, e.g. {@code jsd(beta=0.5)}. */
    public String name() {
        return create().name();
    }

    private static Divergence build(
            DivergenceKind kind, float beta, float alpha, float mu, float t, Taid.Interpolation interpolation) {
        return switch (kind) {
            case FORWARD_KL -> Divergences.forwardKl();
            case REVERSE_KL -> Divergences.reverseKl();
            case JSD -> Divergences.generalizedJsd(beta);
            case SKEW_KL -> Divergences.skewKl(alpha);
            case SKEW_REVERSE_KL -> Divergences.skewReverseKl(alpha);
            case TOTAL_VARIATION -> Divergences.totalVariation();
            case ADAPTIVE_KL -> Divergences.adaptiveKl(mu);
            case TAID -> Taid.at(t, interpolation);
        };
    }

    private static void unused(DivergenceKind kind, String parameter, float value) {
        if (!kind.parameters().contains(parameter) && !Float.isNaN(value)) {
            throw new IllegalArgumentException(kind.key() + " takes no " + parameter + " (got " + value + "); "
                    + (kind.parameters().isEmpty()
                            ? "it has no parameters"
                            : "its parameters are " + String.join(", ", kind.parameters())));
        }
    }

    /**
     * The JSON form: the kind and the kind's parameters as fields.
     *
     * @return e.g. {@code {"kind": "jsd", "beta": 0.5}}
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind.key());
        for (String p : kind.parameters()) {
            switch (p) {
                case "beta" -> o.addProperty(p, beta);
                case "alpha" -> o.addProperty(p, alpha);
                case "mu" -> o.addProperty(p, mu);
                case "t" -> o.addProperty(p, t);
                case "interpolation" -> o.addProperty(p, interpolation.name().toLowerCase(Locale.ROOT));
                default -> throw new IllegalStateException(kind + " lists an unknown parameter " + p);
            }
        }
        return o;
    }

    /**
     * Reads the JSON form: an object with {@code kind} and the kind's parameters (a missing parameter
     * takes {@link #of}'s value), or a bare kind name.
     *
     * @param json an object or a string
     * @return the spec
     * @throws IllegalArgumentException naming an unknown kind, an unknown key and the keys the kind takes,
     *     or a value that is not a number
     */
    public static DivergenceSpec fromJson(JsonElement json) {
        if (json == null || json.isJsonNull()) {
            throw new IllegalArgumentException("divergence is null; e.g. {\"kind\": \"jsd\", \"beta\": 0.5}");
        }
        if (json.isJsonPrimitive()) {
            return of(DivergenceKind.parse(json.getAsString()));
        }
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException("divergence " + json + " is neither a name nor an object; e.g."
                    + " {\"kind\": \"jsd\", \"beta\": 0.5}");
        }
        JsonObject o = json.getAsJsonObject();
        if (!o.has("kind")) {
            throw new IllegalArgumentException(
                    "divergence " + o + " has no \"kind\"; e.g. {\"kind\": \"jsd\"," + " \"beta\": 0.5}");
        }
        DivergenceKind kind = DivergenceKind.parse(o.get("kind").getAsString());
        Set<String> known = new TreeSet<>(kind.parameters());
        known.add("kind");
        for (String key : o.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        "divergence " + kind.key() + ": unknown key \"" + key + "\"; known keys: " + known);
            }
        }
        DivergenceSpec d = of(kind);
        Taid.Interpolation interpolation = d.interpolation();
        if (o.has("interpolation")) {
            String s = o.get("interpolation").getAsString().trim().toUpperCase(Locale.ROOT);
            try {
                interpolation = Taid.Interpolation.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("divergence taid: interpolation '" + s.toLowerCase(Locale.ROOT)
                        + "' is unknown; use logits (the paper) or probabilities");
            }
        }
        return new DivergenceSpec(
                kind,
                number(o, "beta", d.beta()),
                number(o, "alpha", d.alpha()),
                number(o, "mu", d.mu()),
                number(o, "t", d.t()),
                interpolation);
    }

    private static float number(JsonObject o, String key, float fallback) {
        try {
            return o.has(key) ? o.get(key).getAsFloat() : fallback;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("divergence: \"" + key + "\" must be a number, got " + o.get(key));
        }
    }
}
