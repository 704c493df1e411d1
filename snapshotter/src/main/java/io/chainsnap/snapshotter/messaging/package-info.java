/**
 * Kafka: the {@code snapshot-requested} and staging-cleanup listeners, and the emitter of {@code
 * snapshot-created} and {@code snapshot-skipped} (each send waits for the broker's ack).
 */
package io.chainsnap.snapshotter.messaging;
