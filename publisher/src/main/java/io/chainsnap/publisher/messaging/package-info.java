/** Kafka listeners and the emitter of the publisher's events. */
package io.chainsnap.publisher.messaging;
