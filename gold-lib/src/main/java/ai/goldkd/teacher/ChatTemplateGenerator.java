package ai.goldkd.teacher;

import java.util.List;
import java.util.Objects;

/**
 * A local model as an instruct teacher: each request's prompt is sent as one user message through the
 * model's own chat template ({@link ServableModel#chatPrompt}: a Hugging Face checkpoint's Jinja template,
 * generation prompt added), and the model continues as the assistant. What a chat endpoint does with
 * the same prompt, in this process.
 */
public final class ChatTemplateGenerator implements Generator {

    private final ServableModel model;

    /**
     * Wraps a model.
     *
     * @param model the model, for example a {@link LocalTeacher} of an instruct checkpoint
     */
    public ChatTemplateGenerator(ServableModel model) {
        this.model = Objects.requireNonNull(model, "model is null; pass LocalTeacher.open(dir, device)");
    }

    /**
     * The text the model continues for a prompt: the prompt as the user's message in the chat template.
     *
     * @param prompt the request's prompt
     * @return the rendered prompt
     */
    public String render(String prompt) {
        return model.chatPrompt(List.of(new ChatTemplate.Message("user", prompt)));
    }

    @Override
    public List<Completion> generate(GenerationRequest r) {
        return model.generate(new GenerationRequest(
                render(r.prompt()),
                r.n(),
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                r.topK(),
                r.stop(),
                r.logprobs(),
                r.topLogprobs(),
                r.seed()));
    }
}
