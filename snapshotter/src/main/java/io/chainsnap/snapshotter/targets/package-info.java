/**
 * The configured targets at run time ({@code SourceNode}): built and checked once at start-up from
 * the configuration and the target's chain family.
 */
package io.chainsnap.snapshotter.targets;
