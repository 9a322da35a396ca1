/** Run directories on disk: one writer at a time, nothing overwritten unless asked, no half-written files left. */
package ai.goldkd.io;
