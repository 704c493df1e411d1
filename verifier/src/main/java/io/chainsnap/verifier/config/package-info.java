/**
 * Typed configuration ({@code verifier.*}); a node's {@code adapter} is converted to its chain
 * family, refused at start-up unless the verifier can boot it.
 */
package io.chainsnap.verifier.config;
