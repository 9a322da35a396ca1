/** Charts, tables and progress, shown inline in notebooks and written to offline HTML files. */
package ai.goldkd.report;
