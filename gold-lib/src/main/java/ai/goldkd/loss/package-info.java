/** Distillation losses: per-token divergences, their reductions, cross-entropy, Hinton KD, SCE, TAID. */
package ai.goldkd.loss;
