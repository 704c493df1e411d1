/** Node controllers: how the agent stops and starts (or freezes and thaws) a source node. */
package io.chainsnap.snapshotter.node;
