/**
 * Upload, pin, catalog and index logic; idempotent on the snapshot id. The index decisions are pure
 * ({@link io.chainsnap.publisher.service.IndexBuilder}); {@code IndexService} applies them per
 * change. Retention likewise: {@code RetentionPolicy} decides, {@code RetentionService} expires in
 * a crash-safe order.
 */
package io.chainsnap.publisher.service;
