package ai.goldkd.model.hf;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A checkpoint's Jinja chat template (tokenizer_config.json's {@code chat_template}) rendered as
 * transformers' {@code apply_chat_template} does: blocks trimmed and left-stripped, with
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and
 * {@code raise_exception} in scope. The rendering is Jinjava's, not a Jinja of our own.
 */
public final class HfChatTemplate {

    private static final Pattern LINE_START_BLOCK = Pattern.compile("(^|\\n)[ \\t]+\\{%(?!\\+)");

    private final String template;
    private final Jinjava jinjava;

    /**
     * Compiles nothing yet; templates are rendered on each call.
     *
     * @param template the Jinja source
     */
    public HfChatTemplate(String template) {
        Objects.requireNonNull(template, "template is null; the checkpoint has no chat template");
        // Jinja's lstrip_blocks strips spaces and tabs only between a line's start and a block tag;
        // Jinjava's strips them before any block tag, so the source is left-stripped here instead.
        this.template = LINE_START_BLOCK.matcher(template).replaceAll("$1{%");
        this.jinjava =
                new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).build());
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", HfChatTemplate.class, "raiseException", String.class));
    }

    /**
     * Renders a conversation.
     *
     * @param messages role and content of each message, in order
     * @param addGenerationPrompt whether to open the assistant's turn at the end
     * @param bosToken the bos token's text, or null
     * @param eosToken the eos token's text, or null
     * @return the prompt text
     */
    public String render(
            List<Map<String, String>> messages, boolean addGenerationPrompt, String bosToken, String eosToken) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", new ArrayList<>(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken == null ? "" : bosToken);
        context.put("eos_token", eosToken == null ? "" : eosToken);
        RenderResult result = jinjava.renderForResult(template, context);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                    if (t instanceof TemplateRefusal refusal) {
                        throw new IllegalArgumentException(refusal.getMessage());
                    }
                }
                throw new IllegalArgumentException("the chat template failed: " + e.getMessage() + " (line "
                        + e.getLineno() + "); the checkpoint's tokenizer_config.json chat_template needs a Jinja"
                        + " feature Jinjava lacks, or the messages break its rules");
            }
        }
        return result.getOutput();
    }

    /**
     * The templates' {@code raise_exception(message)}.
     *
     * @param message the template's message
     * @return never
     */
    public static String raiseException(String message) {
        throw new TemplateRefusal("the chat template refused the messages: " + message);
    }

    /** What a template's raise_exception throws, found again under Jinjava's wrapping. */
    private static final class TemplateRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRefusal(String message) {
            super(message);
        }
    }
}
