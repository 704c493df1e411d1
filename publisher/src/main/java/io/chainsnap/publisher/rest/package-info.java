/** The publisher's admin REST endpoints (thin: they delegate to {@code service/}). */
package io.chainsnap.publisher.rest;
