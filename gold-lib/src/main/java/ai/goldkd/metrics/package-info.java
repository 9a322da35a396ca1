/** Scores of predictions against references (accuracy, F1, exact match, ROUGE-L, equation values, slices) and of generated text (diversity). */
package ai.goldkd.metrics;
