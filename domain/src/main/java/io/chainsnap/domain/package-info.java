/**
 * The domain vocabulary: the closed lists that events, {@code snapshot.json} and {@code index.json}
 * share ({@link io.chainsnap.domain.Mode}, {@link io.chainsnap.domain.QuiesceStrategy}, ...), each
 * an enum with its wire name, and the rules every module must apply alike: snapshot ids ({@link
 * io.chainsnap.domain.SnapshotId}), sizes ({@link io.chainsnap.domain.ByteSize}) and SHA-256
 * ({@link io.chainsnap.domain.Sha256}). No dependencies but Jackson's annotations.
 */
package io.chainsnap.domain;
