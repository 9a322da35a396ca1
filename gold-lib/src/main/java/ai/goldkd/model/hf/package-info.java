/** Hugging Face causal language models (Llama family, GPT-2) read from and written to checkpoint directories. */
package ai.goldkd.model.hf;
