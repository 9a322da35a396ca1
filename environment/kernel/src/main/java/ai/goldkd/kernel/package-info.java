/** The gold Jupyter kernel: JShell cells, streams, rich and updatable displays, over jjava-jupyter. */
package ai.goldkd.kernel;
