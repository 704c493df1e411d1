/**
 * Typed configuration ({@code snapshotter.*}): SmallRye converts and refuses bad values of the
 * closed lists and sizes at start-up; {@code target.Targets} checks the rest, naming the property.
 */
package io.chainsnap.snapshotter.config;
