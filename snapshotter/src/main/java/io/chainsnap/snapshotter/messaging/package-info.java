/** Kafka listeners: {@code snapshot-requested}. */
package io.chainsnap.snapshotter.messaging;
