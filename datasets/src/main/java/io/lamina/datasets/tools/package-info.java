/** Build-time tools: the program that cuts the embedded subset from the full Fashion-MNIST files. */
package io.lamina.datasets.tools;
