/**
 * The bench jar's additions to {@code lamina bench}: baselines whose dependencies stay out of the
 * production jar. Today DL4J's {@code SharedTrainingMaster} (DL4J's parameter server, Aeron), a
 * {@link io.lamina.app.bench.ParameterServerBaseline} found through {@link java.util.ServiceLoader}.
 */
package io.lamina.bench;
