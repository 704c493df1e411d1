/** Typed configuration ({@code verifier.*}). */
package io.chainsnap.verifier.config;
