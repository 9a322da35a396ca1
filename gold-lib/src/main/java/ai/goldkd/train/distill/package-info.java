/** Distillation regimes (SFT, supervised KD, SeqKD, on-policy GKD, DistiLLM's adaptive off-policy) on the one training loop. */
package ai.goldkd.train.distill;
