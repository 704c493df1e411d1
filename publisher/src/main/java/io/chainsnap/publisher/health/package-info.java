/** Readiness: the bucket and the IPFS node answer. */
package io.chainsnap.publisher.health;
