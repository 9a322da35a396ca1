/** BERT-family encoders loaded from Hugging Face checkpoints (config.json and safetensors), as DJL blocks. */
package ai.goldkd.model.bert;
