package ai.goldkd.teacher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultsTest {

    @Test
    void aSpecParsesIntoFaultsWithTheirParameters() {
        Faults f = Faults.parse("429:0.1@2, 500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000", 3);
        assertEquals(
                List.of(
                        new Faults.Fault(Faults.Kind.STATUS, 429, 0.1, 2),
                        new Faults.Fault(Faults.Kind.STATUS, 500, 0.1, 0),
                        new Faults.Fault(Faults.Kind.GARBAGE, 0, 0.05, 0),
                        new Faults.Fault(Faults.Kind.TRUNCATE, 0, 0.05, 0),
                        new Faults.Fault(Faults.Kind.DELAY, 0, 0.1, 2000)),
                f.faults());
        assertEquals("429:0.1@2,500:0.1,garbage:0.05,truncate:0.05,delay:0.1@2000 (seed 3)", f.toString());
        assertEquals(1000, Faults.parse("delay:0.5", 0).faults().get(0).param());
        assertTrue(Faults.parse(" ", 0).faults().isEmpty());
    }

    @Test
    void badSpecsNameTheItemAndTheForm() {
        String m = assertThrows(IllegalArgumentException.class, () -> Faults.parse("teapot:0.1", 0))
                .getMessage();
        assertTrue(m.contains("unknown kind 'teapot'") && m.contains("KIND:PROBABILITY[@PARAM]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Faults.parse("404:0.1", 0))
                .getMessage();
        assertTrue(m.contains("fault status 404 is not retryable"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Faults.parse("500:0.7,429:0.7", 0))
                .getMessage();
        assertTrue(m.contains("sum to 1.4"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Faults.parse("500", 0))
                .getMessage();
        assertTrue(m.contains("fault '500'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Faults.parse("500:x", 0))
                .getMessage();
        assertTrue(m.contains("bad number"), m);
    }

    @Test
    void drawsAreSeededAndFollowTheProbabilities() {
        Faults faults = Faults.parse("429:0.2,garbage:0.1", 42);
        Faults.Injector a = faults.injector();
        Faults.Injector b = faults.injector();
        int rateLimited = 0;
        int garbage = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            Faults.Fault x = a.next();
            assertEquals(x, b.next(), "draw " + i);
            if (x != null) {
                rateLimited += x.status() == 429 ? 1 : 0;
                garbage += x.kind() == Faults.Kind.GARBAGE ? 1 : 0;
            }
        }
        assertEquals(0.2, rateLimited / (double) draws, 0.015);
        assertEquals(0.1, garbage / (double) draws, 0.015);
        assertNull(Faults.none().injector().next());
    }
}
