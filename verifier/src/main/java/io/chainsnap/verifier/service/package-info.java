/**
 * Restore, boot through the chain family and compare: the verification of one published snapshot;
 * {@code Verdicts} says which failures reject the snapshot (and at which stage) and which are the
 * verifier's own trouble, retried.
 */
package io.chainsnap.verifier.service;
