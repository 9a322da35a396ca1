package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EquationTest {

    @Test
    void respectsPrecedenceAndAssociativity() {
        assertEquals(11, Equation.evaluate("3 + 4 * 2"));
        assertEquals(14, Equation.evaluate("(3 + 4) * 2"));
        assertEquals(1, Equation.evaluate("8 - 4 - 3")); // left-associative: (8 - 4) - 3
        assertEquals(1, Equation.evaluate("16 / 4 / 4"));
        assertEquals(2.5, Equation.evaluate("( 5.0 / 2.0 )")); // SVAMP's spelling
        assertEquals(-2, Equation.evaluate("-(1 + 1)"));
        assertEquals(4, Equation.evaluate("2 - -2"));
        assertEquals(0.5, Equation.evaluate(".5"));
    }

    @Test
    void readsTheSignsModelsWrite() {
        assertEquals(12, Equation.evaluate("3 × 4"));
        assertEquals(3, Equation.evaluate("12 ÷ 4"));
        assertEquals(5, Equation.evaluate("7 − 2"));
    }

    @Test
    void rejectsWhatIsNotAnEquation() {
        for (String bad : new String[] {
            "",
            "   ",
            "3 +",
            "(3 + 4",
            "3 + 4)",
            "3 4",
            "x + 1",
            "2 ** 3",
            "java.lang.System.exit(1)",
            "1e5",
            "3 = 3",
            ".",
            "1..2",
            "٣ + 4"
        }) {
            assertFalse(Equation.isValid(bad), bad);
        }
        EquationException e = assertThrows(EquationException.class, () -> Equation.evaluate("3 + * 4"));
        assertTrue(e.getMessage().contains("position 4") && e.getMessage().contains("'*'"), e.getMessage());
    }

    @Test
    void divisionByZeroIsAnError() {
        EquationException e = assertThrows(EquationException.class, () -> Equation.evaluate("5 / (2 - 2)"));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void deepNestingFailsCleanly() {
        String deep = "(".repeat(10_000) + "1" + ")".repeat(10_000);
        assertThrows(EquationException.class, () -> Equation.evaluate(deep));
        assertThrows(EquationException.class, () -> Equation.evaluate("-".repeat(10_000) + "1"));
        String ok = "(".repeat(Equation.MAX_DEPTH - 1) + "1" + ")".repeat(Equation.MAX_DEPTH - 1);
        assertEquals(1, Equation.evaluate(ok));
    }
}
