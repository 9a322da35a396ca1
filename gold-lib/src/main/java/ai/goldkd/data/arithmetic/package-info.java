/** Arithmetic word problems made by the project: template families with a long-tailed frequency. */
package ai.goldkd.data.arithmetic;
