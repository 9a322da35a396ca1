package ai.goldkd.model.hf;

import ai.goldkd.teacher.ChatTemplate;
import ai.goldkd.teacher.LocalTeacher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat templates in the shapes checkpoints ship, rendered by Jinjava as Jinja renders them. */
class HfChatTemplateTest {

    private static final List<Map<String, String>> CHAT =
            List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", " Hi "));

    @Test
    void chatMlAsQwenWritesIt() {
        String template = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                + " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
                + "{% endif %}";
        assertEquals(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi <|im_end|>\n<|im_start|>assistant\n",
                new HfChatTemplate(template).render(CHAT, true, null, "<|im_end|>"));
        assertEquals(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi <|im_end|>\n",
                new HfChatTemplate(template).render(CHAT, false, null, "<|im_end|>"));
    }

    @Test
    void llama3HeadersWithBosAndAFilterThatBindsTighterThanPlus() {
        String template = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role']"
                + " + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
        assertEquals(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                new HfChatTemplate(template).render(CHAT, true, "<|begin_of_text|>", "<|eot_id|>"));
    }

    @Test
    void blocksAreTrimmedAsTransformersAsks() {
        String template =
                "{% for m in messages %}\n  {% if m['role'] == 'user' %}\n[{{ m['content'] }}]\n  {% endif %}\n"
                        + "{% endfor %}";
        assertEquals("[ Hi ]\n", new HfChatTemplate(template).render(CHAT, false, null, null));
    }

    @Test
    void raiseExceptionRefusesTheMessages() {
        String template =
                "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversations start with a user') }}"
                        + "{% endif %}ok";
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new HfChatTemplate(template).render(CHAT, true, null, null));
        assertTrue(e.getMessage().contains("Conversations start with a user"), e.getMessage());
    }

    @Test
    void aServedCheckpointUsesItsTemplateAndOneBos() {
        try (LocalTeacher teacher = LocalTeacher.load(HfFixtures.dir("llama3-f32"))) {
            String prompt = teacher.chatPrompt(List.of(new ChatTemplate.Message("user", "the movie")));
            assertEquals("user : the movie assistant :", prompt);
            int[] ids = teacher.tokenizer().encodePrompt(prompt);
            assertEquals(1, ids[0], "the post-processor's <s>");
            assertEquals(ids.length, teacher.promptTokens(prompt));
        }
    }
}
