/**
 * The operators' {@code chainsnap} command (picocli, plain Java): entry point, console output
 * conventions and exit codes. Sub-commands are in {@code command}, sources in {@code source}, index
 * lookups in {@code catalog}.
 */
package io.chainsnap.cli;
