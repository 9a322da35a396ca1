package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.model.hf.Family;
import ai.goldkd.model.hf.TinyCheckpoint;
import ai.goldkd.teacher.ChatTemplateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gold run --teacher DIR: a tiny instruct checkpoint (random weights, a chat template) in this process as
 * the GOLD loop's data generator. Its text is junk, so the test checks the plumbing, not accuracy: the
 * loop runs, prompts go through the chat template, and what does not parse is counted as rejected.
 */
class CheckpointTeacherTest {

    @TempDir
    Path tmp;

    @Test
    void aTinyInstructCheckpointWritesTheLoopsDataThroughItsChatTemplate() throws Exception {
        Path dir = new TinyCheckpoint(Family.LLAMA, 1, 16, 2, 1, 32, 2048).write(tmp.resolve("instruct"), 3);
        TeacherSpec spec = TeacherSpec.checkpoint("hf:" + dir).withMaxTokens(12);
        GoldConfig config = GoldConfig.load("gold", Budget.SMOKE)
                .withTeacher(spec)
                .withTestSize(20)
                .withSettings(List.of("loop.iterations=2", "loop.trainBatch=6", "loop.validationBatch=2"));
        List<Iteration> iterations = new ArrayList<>();
        try (GoldTeachers.Opened opened = GoldTeachers.open(config.teacher(), false)) {
            ChatTemplateGenerator chat = assertInstanceOf(ChatTemplateGenerator.class, opened.generator());
            String rendered = chat.render("Write a movie review.");
            // the template's own text around the prompt; its leading <s> is left to the post-processor
            assertEquals("[user] Write a movie review.\n[assistant] ", rendered);
            // random weights write no parsable review, so the run ends where every such run ends: the final
            // student has nothing to train on, and says so naming rejects.jsonl
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> Gold.run(config, opened.generator(), tmp.resolve("run"), iterations::add));
            assertTrue(e.getMessage().contains("rejects.jsonl"), e.getMessage());
        }
        assertEquals(2, iterations.size());
        double asked = 0;
        double rejected = 0;
        for (Iteration it : iterations) {
            asked += it.metric(GoldMetrics.GENERATED);
            rejected += it.metric(GoldMetrics.REJECTED);
        }
        assertTrue(asked >= 16, "generations asked: " + asked);
        assertEquals(asked, rejected, "junk text is counted as rejected, every generation");
        try (var files = Files.walk(tmp.resolve("run"))) {
            assertTrue(
                    files.anyMatch(f -> f.getFileName().toString().equals("rejects.jsonl")), "rejects.jsonl written");
        }
        assertTrue(Files.readString(tmp.resolve("run/config.json")).contains("\"checkpoint\""));
    }

    @Test
    void aHubIdOrAMissingModelIsRefusedBeforeTheRun() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GoldTeachers.open(TeacherSpec.checkpoint("Qwen/Qwen2.5-0.5B-Instruct"), false));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("local directory"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new TeacherSpec(TeacherKind.CHECKPOINT, null, null, 0.8f, 10, 1f, 10));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }
}
