package ai.goldkd.data;

import ai.goldkd.metrics.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskFilesTest {

    /** A valid classification task; tests break one thing at a time with {@link String#replace}. */
    private static final String GOOD = """
            {"name": "toy", "kind": "classification", "description": "Toy sentiment.", "dataset": "toy/{split}.jsonl",
             "fields": [{"name": "text", "description": "a sentence", "minChars": 5, "maxChars": 50},
                        {"name": "label", "target": true, "description": "the sentiment"}],
             "labels": [{"name": "negative", "meaning": "dislikes it"}, {"name": "positive", "meaning": "likes it"}],
             "examples": [{"id": "t1", "text": "I loved this film.", "label": "positive"},
                          {"id": "t2", "text": "Dull and too long.", "label": "negative"}],
             "rules": ["length-bounds", "label-in-set"], "metric": "accuracy"}
            """;

    private static String failure(String json) {
        return assertThrows(DataFileException.class, () -> TaskFiles.parse(json, "toy.json"))
                .getMessage();
    }

    @Test
    void readsAValidTask() {
        Task task = TaskFiles.parse(GOOD, "toy.json");
        assertEquals(TaskKind.CLASSIFICATION, task.kind());
        assertEquals("label", task.target().name());
        assertEquals(List.of("negative", "positive"), task.labelNames());
        assertEquals(400, task.target().maxChars()); // the default bound
        assertEquals(Metric.ACCURACY, task.metric());
        assertEquals(1, task.inputs().size());
    }

    @Test
    void badTasksNameTheProblemAndTheFix() {
        String m = failure(GOOD.replace("\"classification\"", "\"regression\""));
        assertTrue(m.contains("toy.json") && m.contains("'regression'") && m.contains("extractive-qa"), m);

        m = failure(GOOD.replace("\"label\": \"negative\"}", "\"label\": \"neutral\"}"));
        assertTrue(m.contains("example 2 (t2)") && m.contains("'neutral'") && m.contains("[negative, positive]"), m);

        m = failure(GOOD.replace("\"Toy sentiment.\"", "\" \""));
        assertTrue(m.contains("description is empty"), m);

        m = failure(GOOD.replace("\"labels\"", "\"lables\""));
        assertTrue(m.contains("unknown key 'lables'"), m);

        m = failure(GOOD.replace("\"description\": \"the sentiment\"", "\"description\": \"x\", \"target\": false"));
        assertTrue(m.contains("0 target fields"), m);

        m = failure(GOOD.replace("\"I loved this film.\"", "\"Yes!\""));
        assertTrue(m.contains("field 'text' has 4 characters, outside 5..50"), m);

        m = failure(GOOD.replace("\"metric\": \"accuracy\"", "\"metric\": \"bleu\""));
        assertTrue(m.contains("'bleu'") && m.contains("macro-f1"), m);

        m = failure(GOOD.replace("\"kind\": \"classification\"", "\"kind\": \"seq2seq\""));
        assertTrue(m.contains("labels are given but the kind is seq2seq"), m);

        m = failure(GOOD.replace("\"examples\": [", "\"examples\": [], \"x\": ["));
        assertTrue(m.contains("unknown key 'x'"), m);

        m = failure(GOOD.replace(
                "\"examples\": [{\"id\": \"t1\", \"text\": \"I loved this film.\", \"label\": \"positive\"},",
                "\"examples\": [{\"id\": \"t1\", \"label\": \"positive\"},"));
        assertTrue(m.contains("field 'text' is missing"), m);

        m = failure(GOOD.substring(0, GOOD.length() - 5));
        assertTrue(m.contains("not valid JSON"), m);
    }

    @Test
    void extractiveQaChecksTheAnswerIsInTheContext() {
        String qa = """
                {"name": "qa", "kind": "extractive-qa", "description": "Answer from the context.", "dataset": "qa/{split}.jsonl",
                 "fields": [{"name": "context", "description": "a paragraph"}, {"name": "question", "description": "q"},
                            {"name": "answer", "target": true, "description": "a span of the context"}],
                 "examples": [{"context": "Paris is the capital of France.", "question": "Capital of France?", "answer": "Paris"}],
                 "rules": ["answer-in-context"], "metric": "squad-exact-match"}
                """;
        Task task = TaskFiles.parse(qa, "qa.json");
        Example bad = Example.of("context", "Paris is big.", "question", "Where?", "answer", "Lyon");
        assertEquals(List.of("answer 'Lyon' does not occur in the context"), task.problems(bad));
        String m = failure(qa.replace("\"answer\": \"Paris\"", "\"answer\": \"Rome\""));
        assertTrue(m.contains("example 1") && m.contains("'Rome' does not occur"), m);
        m = failure(qa.replace("[\"answer-in-context\"]", "[]"));
        assertTrue(m.contains("must list the rule \"answer-in-context\""), m);
    }

    @Test
    void theProjectsTaskFilesLoadAndTheirRulesCatchBadGenerations() {
        TaskCatalog catalog = TaskCatalog.locate();
        assertEquals(
                List.of("arithmetic-answer", "arithmetic-equation", "imdb-sentiment"),
                catalog.tasks().stream().map(Task::name).toList());
        for (Task task : catalog.tasks()) {
            assertEquals(3, task.examples().size(), task.name() + " has GOLD's 3 few-shot examples");
        }
        Task equation = catalog.task("arithmetic-equation");
        assertTrue(equation.isValid(Example.of(
                "body", "Ana has 3 bags of 4 pens.", "question", "How many pens does Ana have?", "equation", "3 * 4")));
        assertFalse(equation.isValid(Example.of(
                "body",
                "Ana has 3 bags of 4 pens.",
                "question",
                "How many pens does Ana have?",
                "equation",
                "3 * four")));
        assertFalse(catalog.task("arithmetic-answer")
                .isValid(Example.of(
                        "body",
                        "Ana has 3 bags of 4 pens.",
                        "question",
                        "How many pens does Ana have?",
                        "answer",
                        "I do not know the answer.")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.task("squad"));
        assertTrue(e.getMessage().contains("imdb-sentiment"), e.getMessage());
    }
}
