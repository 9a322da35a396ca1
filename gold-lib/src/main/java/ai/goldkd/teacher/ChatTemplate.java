package ai.goldkd.teacher;

import java.util.List;

/**
 * The plain chat template that {@link OpenAiServer} uses for models trained on plain text: one line per
 * message, {@code role: content}, then {@code assistant:} for the model to continue. For
 * {@code [system "Be brief.", user "Hi"]} the prompt is
 * <pre>
 * system: Be brief.
 * user: Hi
 * assistant:</pre>
 * Generation also stops at {@link #STOP} (the model starting the next user turn) unless the request
 * already uses all 4 stop sequences of its own.
 */
public final class ChatTemplate {

    /** The stop sequence that ends the assistant's turn. */
    public static final String STOP = "\nuser:";

    /**
     * One chat message.
     *
     * @param role {@code system}, {@code user} or {@code assistant}
     * @param content the text
     */
    public record Message(String role, String content) {

        /** Checks the fields. */
        public Message {
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("a message's role is missing; use system, user or assistant");
            }
            if (content == null) {
                throw new IllegalArgumentException("the " + role + " message has no content; give a string");
            }
        }
    }

    private ChatTemplate() {}

    /**
     * Renders messages into a prompt.
     *
     * @param messages the conversation, at least one message
     * @return the prompt, ending in {@code "assistant:"}
     */
    public static String render(List<Message> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages is empty; give at least one user message");
        }
        StringBuilder s = new StringBuilder();
        for (Message m : messages) {
            s.append(m.role()).append(": ").append(m.content()).append('\n');
        }
        return s.append("assistant:").toString();
    }
}
