package ai.goldkd.teacher;

import java.util.List;

/**
 * A generator that {@link OpenAiServer} can serve: besides sampling, it counts prompt tokens, names its
 * tokens and says how long a prompt may be. {@link LocalTeacher} and the offline teachers of
 * {@code ai.goldkd.offline} are servable.
 */
public interface ServableModel extends Generator {

    /**
     * How many tokens a prompt takes: what {@code usage.prompt_tokens} reports.
     *
     * @param prompt the prompt
     * @return the token count
     */
    int promptTokens(String prompt);

    /**
     * A token as text, for log-probability listings; distinct tokens never share a name.
     *
     * @param id the token id
     * @return its name
     */
    String tokenText(int id);

    /**
     * How many characters the first {@code t} tokens of a completion take in its text.
     *
     * @param tokens the completion's tokens
     * @param t how many of them
     * @return the text offset of token {@code t}
     */
    int textOffset(int[] tokens, int t);

    /**
     * Checks that a prompt and a token limit fit the model.
     *
     * @param prompt the prompt
     * @param maxTokens the most new tokens
     * @throws IllegalArgumentException naming the lengths and the limit when they do not fit
     */
    void checkFits(String prompt, int maxTokens);

    /** The longest sequence, prompt plus continuation, that the model reads. */
    int context();

    /**
     * The prompt a chat conversation becomes: the plain {@link ChatTemplate} unless the model has a
     * chat template of its own (a Hugging Face checkpoint's).
     *
     * @param messages the conversation
     * @return the prompt text, ready for the model to continue as the assistant
     */
    default String chatPrompt(List<ChatTemplate.Message> messages) {
        return ChatTemplate.render(messages);
    }
}
