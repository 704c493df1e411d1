/** Node controllers: how the agent stops, starts and finds the process of a source node. */
package io.chainsnap.snapshotter.node;
