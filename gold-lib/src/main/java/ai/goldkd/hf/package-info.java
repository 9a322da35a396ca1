/** Hugging Face model directories: the safetensors format, sharded weights and their indexes. */
package ai.goldkd.hf;
