/**
 * Signed {@code index.json}: Ed25519 keys in PEM with their fingerprints ({@link
 * io.chainsnap.archive.signing.Ed25519Keys}), the detached signature document {@code
 * index.json.sig} ({@link io.chainsnap.archive.signing.IndexSignature}, several signatures so two
 * keys are valid during a rotation) and the published public keys {@code keys.json} ({@link
 * io.chainsnap.archive.signing.PublishedKeys}).
 *
 * <p>JDK crypto only ({@code java.security.Signature} "Ed25519"). The spec is the "Signed index"
 * section of {@code docs/archive-format.md}.
 */
package io.chainsnap.archive.signing;
