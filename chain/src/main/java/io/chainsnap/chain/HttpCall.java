package io.chainsnap.chain;

import java.net.URI;

/**
 * One HTTP POST to a node, spelled out so that a process other than this JVM can make it: the pause
 * watchdog, which outlives a killed agent, uses it to switch the node's network back on.
 *
 * @param url where to POST
 * @param authorization the {@code Authorization} header's value, or null for none
 * @param contentType the body's content type
 * @param body the request body
 */
public record HttpCall(URI url, String authorization, String contentType, String body) {}
