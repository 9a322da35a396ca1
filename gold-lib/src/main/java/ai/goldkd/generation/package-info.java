/**
 * Generating training data with a teacher: prompts rendered from editable templates
 * ({@link ai.goldkd.generation.PromptTemplates}, {@link ai.goldkd.generation.Prompts}), and generations
 * parsed into samples by the task's rules, every reject kept with its reason
 * ({@link ai.goldkd.generation.Parsing}).
 */
package ai.goldkd.generation;
