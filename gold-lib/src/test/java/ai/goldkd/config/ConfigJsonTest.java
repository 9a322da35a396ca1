package ai.goldkd.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigJsonTest {

    enum Shape {
        ROUND,
        TOP_HEAVY
    }

    record Inner(int count, float rate, Shape shape, String path) {
        Inner {
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
        }
    }

    record Outer(String name, long seed, double share, boolean on, Inner inner, List<Inner> more, List<String> tags) {}

    private static final ConfigJson CODEC = ConfigJson.standard();

    private static Outer sample() {
        return new Outer(
                "run",
                123456789012L,
                0.1,
                true,
                new Inner(3, 0.8f, Shape.TOP_HEAVY, null),
                List.of(new Inner(1, 1e-3f, Shape.ROUND, "/tmp/a b")),
                List.of("x", "y"));
    }

    @Test
    void aNestedConfigRoundTripsWithEnumsListsAndNulls() {
        Outer o = sample();
        String json = CODEC.write(o);
        assertTrue(json.contains("\"shape\": \"top-heavy\""), json);
        assertTrue(json.contains("\"path\": null"), json);
        assertTrue(json.contains("\"rate\": 0.8,"), json);
        assertEquals(o, CODEC.read(json, Outer.class, null));
        assertEquals(o, CODEC.read(json, Outer.class, new Outer("other", 1, 0, false, null, List.of(), List.of())));
    }

    @Test
    void aKeyLeftOutKeepsTheBaseValueAtEveryDepth() {
        Outer o = CODEC.read("{\"inner\": {\"count\": 9}, \"seed\": 5}", Outer.class, sample());
        assertEquals(9, o.inner().count());
        assertEquals(0.8f, o.inner().rate());
        assertEquals(5L, o.seed());
        assertEquals("run", o.name());
        assertEquals(sample().more(), o.more());
    }

    @Test
    void aMisspeltKeyFailsAtEveryDepthNamingTheNearestKey() {
        ConfigException top =
                assertThrows(ConfigException.class, () -> CODEC.read("{\"sede\": 5}", Outer.class, sample()));
        assertTrue(top.getMessage().contains("unknown key 'sede'"), top.getMessage());
        assertTrue(top.getMessage().contains("nearest: seed"), top.getMessage());
        assertTrue(top.getMessage().contains("fix the spelling"), top.getMessage());
        ConfigException nested = assertThrows(
                ConfigException.class, () -> CODEC.read("{\"inner\": {\"cuont\": 5}}", Outer.class, sample()));
        assertTrue(nested.getMessage().contains("unknown key 'inner.cuont'"), nested.getMessage());
        assertTrue(nested.getMessage().contains("nearest: inner.count"), nested.getMessage());
        assertTrue(nested.getMessage().contains("count, rate, shape, path"), nested.getMessage());
        ConfigException inList = assertThrows(
                ConfigException.class,
                () -> CODEC.read(
                        "{\"more\": [{\"count\": 1, \"rate\": 1, \"shape\": \"round\", \"paht\": null}]}",
                        Outer.class,
                        sample()));
        assertTrue(inList.getMessage().contains("'more[0].paht'"), inList.getMessage());
        ConfigException elsewhere =
                assertThrows(ConfigException.class, () -> CODEC.read("{\"rate\": 0.5}", Outer.class, sample()));
        assertTrue(
                elsewhere.getMessage().contains("nearest: inner.rate"),
                "a key at the wrong depth points to where it lives: " + elsewhere.getMessage());
        assertFalse(elsewhere.getMessage().contains("\n"), "one line");
    }

    @Test
    void aMisspeltKeyFailsOnTheCommandLinePathToo() {
        Outer o = CODEC.set(sample(), Outer.class, List.of("inner.count=7", "name=other", "inner.shape=round"));
        assertEquals(7, o.inner().count());
        assertEquals("other", o.name());
        assertEquals(Shape.ROUND, o.inner().shape());
        ConfigException e =
                assertThrows(ConfigException.class, () -> CODEC.set(sample(), Outer.class, List.of("inner.cont=7")));
        assertTrue(e.getMessage().contains("nearest: inner.count"), e.getMessage());
        assertThrows(ConfigException.class, () -> CODEC.set(sample(), Outer.class, List.of("seed")));
    }

    @Test
    void integersMustBeWholeAndInRange() {
        ConfigException fraction = assertThrows(
                ConfigException.class, () -> CODEC.read("{\"inner\": {\"count\": 2.7}}", Outer.class, sample()));
        assertTrue(fraction.getMessage().contains("'inner.count' is 2.7, not a whole number"), fraction.getMessage());
        ConfigException big = assertThrows(
                ConfigException.class, () -> CODEC.read("{\"inner\": {\"count\": 1e12}}", Outer.class, sample()));
        assertTrue(big.getMessage().contains("'inner.count' is 1e12, out of range for an int"), big.getMessage());
        assertEquals(
                1_000_000_000_000L,
                CODEC.read("{\"seed\": 1e12}", Outer.class, sample()).seed(),
                "1e12 is a whole number that a long holds");
        assertEquals(
                2,
                CODEC.read("{\"inner\": {\"count\": 2.0}}", Outer.class, sample())
                        .inner()
                        .count());
        ConfigException quoted =
                assertThrows(ConfigException.class, () -> CODEC.read("{\"seed\": \"5\"}", Outer.class, sample()));
        assertTrue(quoted.getMessage().contains("give a number"), quoted.getMessage());
        assertThrows(ConfigException.class, () -> CODEC.read("{\"inner\": {\"rate\": 1e39}}", Outer.class, sample()));
        assertThrows(ConfigException.class, () -> CODEC.read("{\"on\": 1}", Outer.class, sample()));
    }

    @Test
    void enumsNameTheirAllowedValuesAndAcceptUnderscores() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> CODEC.read("{\"inner\": {\"shape\": \"top-heavey\"}}", Outer.class, sample()));
        assertTrue(e.getMessage().contains("not one of round, top-heavy"), e.getMessage());
        assertTrue(e.getMessage().contains("nearest: top-heavy"), e.getMessage());
        assertEquals(
                Shape.TOP_HEAVY,
                CODEC.read("{\"inner\": {\"shape\": \"TOP_HEAVY\"}}", Outer.class, sample())
                        .inner()
                        .shape());
    }

    @Test
    void theRecordsOwnChecksSpeakForThemselves() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CODEC.read("{\"inner\": {\"count\": -1}}", Outer.class, sample()));
        assertEquals("count must be >= 0, got -1", e.getMessage());
        ConfigException missing =
                assertThrows(ConfigException.class, () -> CODEC.read("{\"inner\": {\"count\": 1}}", Outer.class, null));
        assertTrue(missing.getMessage().contains("'seed' is missing"), missing.getMessage());
        ConfigException notJson = assertThrows(ConfigException.class, () -> CODEC.read("{", Outer.class, null));
        assertTrue(notJson.getMessage().contains("not valid JSON"), notJson.getMessage());
        assertTrue(new ConfigException("x").from("a.json").getMessage().startsWith("a.json: "));
    }

    @Test
    void anAdapterServesATypeTheCodecCannotSeeInto() {
        record Holder(CharSequence text, int n) {}
        ConfigJson codec = CODEC.withAdapter(CharSequence.class, new ConfigJson.Adapter<>() {
            @Override
            public CharSequence read(JsonElement json, String key) {
                return new StringBuilder(json.getAsString()).reverse();
            }

            @Override
            public JsonElement write(CharSequence value) {
                return new JsonPrimitive(new StringBuilder(value).reverse().toString());
            }
        });
        Holder h = codec.read("{\"text\": \"cba\", \"n\": 1}", Holder.class, null);
        assertEquals("abc", h.text().toString());
        assertTrue(codec.write(h).contains("\"cba\""));
        assertNull(codec.read("{\"text\": null, \"n\": 1}", Holder.class, null).text());
    }

    @Test
    void changedKeysNameEveryDifferingLeaf() {
        JsonElement a = CODEC.tree(sample());
        JsonElement b = CODEC.tree(CODEC.set(sample(), Outer.class, List.of("inner.count=4", "seed=9")));
        assertEquals(List.of("inner.count", "seed"), ConfigJson.changedKeys(a, b));
        assertEquals(
                List.of("extra"),
                ConfigJson.changedKeys(
                        a, JsonParser.parseString(CODEC.write(sample()).replaceFirst("\\{", "{\"extra\": 1,"))));
        assertEquals(List.of(), ConfigJson.changedKeys(a, CODEC.tree(sample())));
    }
}
