/**
 * The verifier: restores each published archive from its public URL the way an operator would,
 * boots a node on it, and emits {@code snapshot-verified} only if the node reports the expected
 * tip.
 */
package io.chainsnap.verifier;
