/**
 * Spark settings that suit Lamina's jobs (none required) and an optional Kryo registrator for
 * users who want Lamina's types in Spark's Kryo. Depends on the protocol's and the
 * compression library's wire registrations.
 */
package io.lamina.app.spark;
