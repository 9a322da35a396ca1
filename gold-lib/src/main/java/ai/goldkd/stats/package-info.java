/** Statistics over seeds: Student's t distribution, the interval of a mean, and paired and Welch t-tests. */
package ai.goldkd.stats;
