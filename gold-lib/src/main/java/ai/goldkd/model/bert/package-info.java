/**
 * BERT-family encoders loaded from Hugging Face checkpoints (config.json and safetensors), as DJL blocks:
 * {@code model_type} bert (BERT, MiniLM, BGE, E5), roberta and distilbert.
 */
package ai.goldkd.model.bert;
