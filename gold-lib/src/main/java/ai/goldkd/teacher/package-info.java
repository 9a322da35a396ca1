/** Teachers: text generators (remote OpenAI-compatible endpoints, local models), their client and server. */
package ai.goldkd.teacher;
