/** Health checks: source nodes must be running after every snapshot. */
package io.chainsnap.snapshotter.health;
