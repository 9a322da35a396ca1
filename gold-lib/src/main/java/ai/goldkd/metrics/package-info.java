/** Scores of predictions against references: accuracy, F1, exact match, ROUGE-L, equation values, slices. */
package ai.goldkd.metrics;
