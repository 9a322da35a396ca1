/** gold: knowledge distillation of language models (GOLD, GKD and their losses) on DJL. */
package ai.goldkd;
