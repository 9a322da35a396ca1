/** Tokenizers: text to token ids and back, with the special tokens handled in one place. */
package ai.goldkd.tokenizer;
