package ai.goldkd.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTest {

    @Test
    void parsesNamesInAnyCase() {
        assertEquals(Budget.SMOKE, Budget.parse("smoke"));
        assertEquals(Budget.SMALL, Budget.parse(" Small "));
        assertEquals(Budget.PAPER, Budget.parse("PAPER"));
    }

    @Test
    void picksTheValueOfItsSize() {
        assertEquals(1, Budget.SMOKE.pick(1, 2, 3));
        assertEquals(2, Budget.SMALL.pick(1, 2, 3));
        assertEquals(3, Budget.PAPER.pick(1, 2, 3));
    }

    @Test
    void unknownBudgetListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.parse("huge"));
        assertTrue(e.getMessage().contains("'huge'") && e.getMessage().contains("smoke, small or paper"));
    }
}
