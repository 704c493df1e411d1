/**
 * Trust in {@code index.json}: the pinned keys ({@link io.chainsnap.cli.trust.TrustAnchors}, from
 * {@code --trusted-key} and the trust file), the last sequence seen per index ({@link
 * io.chainsnap.cli.trust.SequenceState}) and the check of every index read ({@link
 * io.chainsnap.cli.trust.IndexTrust}: signature, expiry, rollback, each with its exit code).
 */
package io.chainsnap.cli.trust;
