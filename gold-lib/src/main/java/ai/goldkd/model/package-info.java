/** Models on DJL: a decoder-only causal transformer, its KV cache, sampling, and classifier heads. */
package ai.goldkd.model;
