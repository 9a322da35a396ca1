/** The {@code gold} command line: one class per subcommand, dispatched by {@link ai.goldkd.cli.Main}. */
package ai.goldkd.cli;
