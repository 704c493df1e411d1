/**
 * The snapshotter: an agent beside source-of-truth nodes that checks a node is healthy, quiesces
 * it, archives its data dir into staging, resumes it, and emits {@code snapshot-created}.
 */
package io.chainsnap.snapshotter;
