package ai.goldkd.train.distill;

import ai.goldkd.config.KeySuggestions;
import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.train.OptimizerKind;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainConfig;
import com.google.gson.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * {@link DistillationConfig} as JSON. Keys are the record's component names; missing keys take
 * {@link DistillationConfig#defaults()}'s values; an unknown key is an error that lists the known
 * ones. The divergence is {@link DivergenceSpec}'s JSON, its kind and its parameters as fields:
 *
 * <pre>{@code
 * {"regime": "on_policy", "lambda": 1.0, "divergence": {"kind": "jsd", "beta": 0.5},
 *  "studentTemperature": 1.0, "maxNewTokens": 48,
 *  "train": {"learningRate": 1e-3, "maxSteps": 500, "batchSize": 32}}
 * }</pre>
 *
 * <p>Divergence kinds: {@link ai.goldkd.loss.DivergenceKind}.
 */
public final class DistillationJson {

    static final Set<String> KEYS = Set.of(
            "regime",
            "lambda",
            "divergence",
            "temperature",
            "studentTemperature",
            "maxNewTokens",
            "teacherTemperature",
            "train",
            "chunkSize",
            "bufferSize",
            "adaptive",
            "rewardWeight",
            "crossTokenizer",
            "fusedHead");
    private static final Set<String> TRAIN_KEYS = Set.of(
            "learningRate",
            "minLearningRate",
            "weightDecay",
            "warmupSteps",
            "maxSteps",
            "schedule",
            "batchSize",
            "gradAccumulation",
            "clipNorm",
            "evalEvery",
            "patience",
            "seed",
            "logEvery",
            "optimizer");
    private static final Set<String> ADAPTIVE_KEYS = Set.of("initThreshold", "lossEps", "step", "ratio");

    private DistillationJson() {}

    /**
     * Reads a config.
     *
     * @param json the object
     * @return the config, validated
     */
    public static DistillationConfig read(JsonObject json) {
        checkKeys("distillation config", json, KEYS);
        DistillationConfig d = DistillationConfig.defaults();
        Regime regime = json.has("regime") ? Regime.parse(json.get("regime").getAsString()) : d.regime();
        float defaultLambda = regime == Regime.ON_POLICY ? d.lambda() : 0f;
        return new DistillationConfig(
                regime,
                real(json, "lambda", defaultLambda),
                json.has("divergence") ? DivergenceSpec.fromJson(json.get("divergence")) : d.divergence(),
                real(json, "temperature", d.temperature()),
                real(json, "studentTemperature", d.studentTemperature()),
                integer(json, "maxNewTokens", d.maxNewTokens()),
                real(json, "teacherTemperature", d.teacherTemperature()),
                json.has("train") ? train(json.getAsJsonObject("train"), d.train()) : d.train(),
                integer(json, "chunkSize", d.chunkSize()),
                integer(json, "bufferSize", d.bufferSize()),
                json.has("adaptive") ? adaptive(json.getAsJsonObject("adaptive"), d.adaptive()) : d.adaptive(),
                real(json, "rewardWeight", d.rewardWeight()),
                json.has("crossTokenizer")
                        ? CrossTokenizer.parse(json.get("crossTokenizer").getAsString())
                        : d.crossTokenizer(),
                bool(json, "fusedHead", d.fusedHead()));
    }

    /**
     * Writes a config, every field included.
     *
     * @param config the config
     * @return the object
     */
    public static JsonObject write(DistillationConfig config) {
        JsonObject o = new JsonObject();
        o.addProperty("regime", config.regime().name().toLowerCase(Locale.ROOT));
        o.addProperty("lambda", config.lambda());
        o.add("divergence", config.divergence().toJson());
        o.addProperty("temperature", config.temperature());
        o.addProperty("studentTemperature", config.studentTemperature());
        o.addProperty("maxNewTokens", config.maxNewTokens());
        o.addProperty("teacherTemperature", config.teacherTemperature());
        TrainConfig t = config.train();
        JsonObject train = new JsonObject();
        train.addProperty("learningRate", t.learningRate());
        train.addProperty("minLearningRate", t.minLearningRate());
        train.addProperty("weightDecay", t.weightDecay());
        train.addProperty("warmupSteps", t.warmupSteps());
        train.addProperty("maxSteps", t.maxSteps());
        train.addProperty("schedule", t.schedule().name().toLowerCase(Locale.ROOT));
        train.addProperty("batchSize", t.batchSize());
        train.addProperty("gradAccumulation", t.gradAccumulation());
        train.addProperty("clipNorm", t.clipNorm());
        train.addProperty("evalEvery", t.evalEvery());
        train.addProperty("patience", t.patience());
        train.addProperty("seed", t.seed());
        train.addProperty("logEvery", t.logEvery());
        train.addProperty("optimizer", t.optimizer().label());
        o.add("train", train);
        o.addProperty("chunkSize", config.chunkSize());
        o.addProperty("bufferSize", config.bufferSize());
        JsonObject a = new JsonObject();
        a.addProperty("initThreshold", config.adaptive().initThreshold());
        a.addProperty("lossEps", config.adaptive().lossEps());
        a.addProperty("step", config.adaptive().step());
        a.addProperty("ratio", config.adaptive().ratio().name().toLowerCase(Locale.ROOT));
        o.add("adaptive", a);
        o.addProperty("rewardWeight", config.rewardWeight());
        o.addProperty("crossTokenizer", config.crossTokenizer().label());
        o.addProperty("fusedHead", config.fusedHead());
        return o;
    }

    private static TrainConfig train(JsonObject o, TrainConfig d) {
        checkKeys("train", o, TRAIN_KEYS);
        Schedule schedule = d.schedule();
        if (o.has("schedule")) {
            String s = o.get("schedule").getAsString().trim().toUpperCase(Locale.ROOT);
            try {
                schedule = Schedule.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "train.schedule '" + s + "' is unknown; use cosine, linear or constant");
            }
        }
        float lr = real(o, "learningRate", d.learningRate());
        int steps = integer(o, "maxSteps", d.maxSteps());
        return new TrainConfig(
                lr,
                real(o, "minLearningRate", Math.min(lr, d.minLearningRate())),
                real(o, "weightDecay", d.weightDecay()),
                integer(o, "warmupSteps", Math.min(steps, d.warmupSteps())),
                steps,
                schedule,
                integer(o, "batchSize", d.batchSize()),
                integer(o, "gradAccumulation", d.gradAccumulation()),
                real(o, "clipNorm", d.clipNorm()),
                integer(o, "evalEvery", d.evalEvery()),
                integer(o, "patience", d.patience()),
                o.has("seed") ? o.get("seed").getAsLong() : d.seed(),
                integer(o, "logEvery", d.logEvery()),
                o.has("optimizer") ? optimizer(o.get("optimizer").getAsString()) : d.optimizer());
    }

    private static OptimizerKind optimizer(String label) {
        try {
            return OptimizerKind.parse(label);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("train." + e.getMessage());
        }
    }

    private static AdaptiveSchedule.Settings adaptive(JsonObject o, AdaptiveSchedule.Settings d) {
        checkKeys("adaptive", o, ADAPTIVE_KEYS);
        return new AdaptiveSchedule.Settings(
                real(o, "initThreshold", d.initThreshold()),
                real(o, "lossEps", d.lossEps()),
                real(o, "step", d.step()),
                o.has("ratio")
                        ? AdaptiveSchedule.ReplayRatio.parse(o.get("ratio").getAsString())
                        : d.ratio());
    }

    static void checkKeys(String where, JsonObject o, Set<String> known) {
        for (String key : o.keySet()) {
            if (!known.contains(key)) {
                throw KeySuggestions.unknownKey(where, key, known);
            }
        }
    }

    static float real(JsonObject o, String key, float fallback) {
        try {
            return o.has(key) ? o.get(key).getAsFloat() : fallback;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + o.get(key));
        }
    }

    static int integer(JsonObject o, String key, int fallback) {
        try {
            return o.has(key) ? o.get(key).getAsInt() : fallback;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"" + key + "\" must be an integer, got " + o.get(key));
        }
    }

    static boolean bool(JsonObject o, String key, boolean fallback) {
        if (!o.has(key)) {
            return fallback;
        }
        if (!(o.get(key).isJsonPrimitive() && o.get(key).getAsJsonPrimitive().isBoolean())) {
            throw new IllegalArgumentException("\"" + key + "\" must be true or false, got " + o.get(key));
        }
        return o.get(key).getAsBoolean();
    }
}
