/**
 * The sub-commands of {@code chainsnap} ({@code list}, {@code info}, {@code download}, {@code
 * verify}, {@code restore}, {@code create}) and their shared options. Each is a thin picocli
 * adapter over the archive module's restore engine and the catalog.
 */
package io.chainsnap.cli.command;
