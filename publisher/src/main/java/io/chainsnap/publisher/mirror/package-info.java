/**
 * The per-file mirror: the restored file tree of the newest verified snapshot as plain objects in a
 * (requester-pays) bucket, deduplicated by content across snapshots. {@link
 * io.chainsnap.publisher.mirror.TreeMirror} restores an archive into scratch space and uploads only
 * what the live tree lacks; {@link io.chainsnap.publisher.mirror.MirrorPublisher} picks the
 * snapshot and keeps the metrics; {@link io.chainsnap.publisher.mirror.MirrorService} runs it off
 * the critical path of the index.
 */
package io.chainsnap.publisher.mirror;
