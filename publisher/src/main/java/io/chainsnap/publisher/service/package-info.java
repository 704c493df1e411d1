/** Upload, pin, catalog and index logic; idempotent on the snapshot id. */
package io.chainsnap.publisher.service;
