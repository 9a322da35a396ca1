/** Benchmarks: training, sampling and scoring throughput, measured the same way every time. */
package ai.goldkd.bench;
