/**
 * Spark settings and the Kryo registrator Lamina's jobs use. Depends on the protocol's and the
 * compression library's wire registrations.
 */
package io.lamina.app.spark;
