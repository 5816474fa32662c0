/** Checkpoints of a run on any Hadoop file system, and the rules for resuming one. */
package io.lamina.app.checkpoint;
