/**
 * CloudFront in front of the bucket: public URLs on the distribution's domain ({@link
 * io.chainsnap.publisher.cdn.PublicUrls}), signed URLs in the index entries of non-public
 * chain/networks ({@link io.chainsnap.publisher.cdn.DownloadLinks}, {@link
 * io.chainsnap.publisher.cdn.CloudFrontUrlSigner}) and invalidation of the index objects after
 * every index change ({@link io.chainsnap.publisher.cdn.CloudFrontInvalidation}, {@link
 * io.chainsnap.publisher.cdn.CloudFrontInvalidator}).
 */
package io.chainsnap.publisher.cdn;
