/** Restore, boot and compare: the verification of one published snapshot. */
package io.chainsnap.verifier.service;
