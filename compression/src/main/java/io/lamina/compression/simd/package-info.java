/**
 * The codecs' inner loops in two implementations (JDK 17 Vector API, plain Java) giving the same bytes;
 * {@link io.lamina.compression.simd.Simd} picks one per JVM.
 *
 * <p>May depend on {@code bits} only (the family packages call it).
 */
package io.lamina.compression.simd;
