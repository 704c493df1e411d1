/**
 * The downloads page ({@code index.html}) and Atom feed ({@code feed.atom}) published beside each
 * {@code index.json}: pure renderers over the index ({@link DownloadsPage}, {@link AtomFeed}, every
 * value escaped by {@link Markup}) and {@link PagePublisher}, which stores them after every index
 * write and renders the page again on a timer so that ages and the stale badge follow the clock.
 */
package io.chainsnap.publisher.page;
