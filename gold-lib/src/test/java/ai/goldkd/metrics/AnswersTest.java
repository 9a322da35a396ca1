package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswersTest {

    @Test
    void equationsAreComparedByValue() {
        assertTrue(Answers.equationValueCorrect("(4 + 3) * 2", "2 * 7"));
        assertTrue(Answers.equationValueCorrect("10 / 4", "2.5"));
        assertFalse(Answers.equationValueCorrect("4 + 3 * 2", "(4 + 3) * 2"));
        assertFalse(Answers.equationValueCorrect("", "3"));
        assertFalse(Answers.equationValueCorrect("7 / 0", "3"));
        assertFalse(Answers.equationValueCorrect("four plus three", "7"));
        assertEquals(0.5, Answers.equationValueAccuracy(List.of("1 + 1", "1 +"), List.of("2", "1")), 1e-12);
    }

    @Test
    void aBrokenReferenceIsTheDatasErrorNotAWrongAnswer() {
        assertThrows(EquationException.class, () -> Answers.equationValueCorrect("2", "1 +"));
        assertThrows(IllegalArgumentException.class, () -> Answers.finalNumberCorrect("2", "two"));
    }

    @Test
    void workedAnswersAreJudgedByTheirLastNumber() {
        assertTrue(Answers.finalNumberCorrect("12 + 5 = 17. 17 - 4 = 13. The answer is 13.", "13"));
        assertFalse(Answers.finalNumberCorrect("The answer is 13, not 12.", "13"));
        assertFalse(Answers.finalNumberCorrect("", "13"));
        assertTrue(Answers.finalNumberCorrect("It costs 1,250 dollars", "1250"));
        assertEquals(-3.0, Text.lastNumber("the change is -3"));
        assertNull(Text.lastNumber("no digits here"));
    }
}
