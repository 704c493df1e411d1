/** Typed configuration ({@code publisher.*}). */
package io.chainsnap.publisher.config;
