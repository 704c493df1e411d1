/** Typed configuration ({@code snapshotter.*}), validated at start-up. */
package io.chainsnap.snapshotter.config;
