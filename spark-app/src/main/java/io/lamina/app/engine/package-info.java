/**
 * The training engine, in three rooms: {@code driver} (the step loop), {@code worker} (the
 * executor tasks and replicas) and {@code protocol} (what travels between them). See
 * docs/ARCHITECTURE.md for one step end to end.
 */
package io.lamina.app.engine;
