/** Run-wide settings (the compute device, the experiment budget) and the JSON codec every config record goes through. */
package ai.goldkd.config;
