/**
 * Generating training data with a teacher: prompts rendered from editable templates
 * ({@link ai.goldkd.prompt.PromptTemplates}, {@link ai.goldkd.prompt.Prompts}), and generations
 * parsed into samples by the task's rules, every reject kept with its reason
 * ({@link ai.goldkd.prompt.Parsing}).
 */
package ai.goldkd.prompt;
