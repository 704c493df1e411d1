package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.archive.ArchiveManifest;
import java.nio.file.Path;

/** Writes the archive of a directory (the chain dir, or a checkpoint of it) into staging. */
@FunctionalInterface
public interface Archiver {
  ArchiveManifest write(Path source);
}
