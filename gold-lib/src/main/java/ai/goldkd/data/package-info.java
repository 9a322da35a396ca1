/** Data sets and tasks: task files, samples, JSONL, the IMDB reviews, DJL datasets and loaders. */
package ai.goldkd.data;
