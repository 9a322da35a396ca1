/** Training: one loop (AdamW, schedules, clipping, accumulation, evaluation, early stopping) for every trainer. */
package ai.goldkd.train;
