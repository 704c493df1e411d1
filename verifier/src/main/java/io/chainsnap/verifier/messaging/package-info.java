/** Kafka listener of {@code snapshot-uploaded} and the emitter of verification results. */
package io.chainsnap.verifier.messaging;
