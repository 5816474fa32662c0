/**
 * The {@code lamina} command line (picocli): {@code train}, {@code experiment}, {@code bench}, {@code report}.
 * Parses and validates options before Spark starts and maps errors to exit codes. Top of the
 * dependency graph: nothing depends on it.
 */
package io.lamina.app.cli;
