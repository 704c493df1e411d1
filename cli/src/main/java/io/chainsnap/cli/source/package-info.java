/**
 * Where snapshots come from: {@link io.chainsnap.cli.source.Location} (http(s), s3, ipfs through a
 * gateway, local files), {@link io.chainsnap.cli.source.Sources} (range sources for archives, whole
 * reads for index.json and snapshot.json) and the S3 range source (ranged {@code GetObject},
 * optional requester-pays).
 */
package io.chainsnap.cli.source;
