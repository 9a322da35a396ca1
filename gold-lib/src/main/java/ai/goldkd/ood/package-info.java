/**
 * Out-of-distribution scores and what GOLD does with them: the student's {@link ai.goldkd.ood.Energy},
 * the {@link ai.goldkd.ood.FeedbackSelector}s that pick which validation samples go back to the teacher
 * (the 50-80% energy band, random, top energy, none, a ProGen-style influence score), and the
 * {@link ai.goldkd.ood.NoiseFilter} that drops the top of the energy range before the final student trains.
 */
package ai.goldkd.ood;
