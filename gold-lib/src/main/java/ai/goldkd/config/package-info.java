/** Run-wide settings: the compute device and the experiment budget. */
package ai.goldkd.config;
