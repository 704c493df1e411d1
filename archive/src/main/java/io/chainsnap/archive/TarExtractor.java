package io.chainsnap.archive;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Parses the tar stream of an archive and creates its entries under a root directory, refusing
 * anything that could write outside it or exceed the manifest.
 *
 * <p>Accepted: ustar headers (POSIX {@code "ustar\0" "00"} or GNU {@code "ustar \0"} magic) for
 * regular files ({@code '0'}, NUL) and directories ({@code '5'}), with pax extended headers ({@code
 * 'x'}: {@code path}, {@code size}, {@code mtime} honoured, others ignored). Refused: absolute
 * paths, {@code ..} components, every other entry type (hard and symbolic links, devices, FIFOs,
 * GNU long names and sparse files, global pax headers), sizes beyond the manifest, an existing file
 * at an entry's path, and any existing non-directory (such as a symlink) where a parent directory
 * is expected. Files are created with {@code CREATE_NEW} (which never follows a symlink); modes are
 * normalised to 0644/0755; mtimes are set from the tar, directories last.
 *
 * <p>A <b>dry run</b> ({@link #dryRun}) walks the same stream with the same rules and writes
 * nothing: it keeps the set of paths the archive would create instead of asking the file system, so
 * it refuses what an extraction into an empty directory refuses, with the same message (the name
 * rules of the restore journal included). {@code chainsnap verify} is one.
 */
final class TarExtractor {

  private static final int BLOCK = TarEncoder.BLOCK;
  private static final int MAX_PAX_SIZE = 1 << 20;

  /** Longest path component, in UTF-8 bytes ({@code NAME_MAX} of Linux and most file systems). */
  static final int MAX_COMPONENT_BYTES = 255;

  /** Longest entry name, in UTF-8 bytes (below Linux's {@code PATH_MAX} of 4096). */
  static final int MAX_NAME_BYTES = 4095;

  /** The root a dry run pretends to extract into (never touched). */
  private static final Path DRY_RUN_ROOT = Path.of("/", ".chainsnap-dry-run").toAbsolutePath();

  /**
   * File data goes to the kernel in writes of at most this size: small enough that the JDK's
   * temporary direct buffer and the source stay in the CPU cache while the kernel copies them into
   * the page cache (1 MiB writes cost several times the CPU; {@code bench/README.md}).
   */
  private static final int WRITE_SLICE = 1 << 16;

  private static final Set<PosixFilePermission> PERMS_FILE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> PERMS_EXEC =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private record DirTime(Path dir, long mtime) {}

  private final TarInput in;
  private final Path root;
  private final ArchiveManifest manifest;
  private final ResumableExtractor.Journal journal;
  private final ExtractionState resume;
  private final boolean posix;
  private final boolean dryRun;
  private final boolean reservedNames;
  private final Set<Path> knownDirs = new HashSet<>();
  private final Set<Path> knownFiles = new HashSet<>();
  private final List<DirTime> dirTimes = new ArrayList<>();
  private final byte[] block = new byte[BLOCK];
  private long files;
  private long content;

  // the entry being processed, for messages
  private String entryName;
  private int entryChunk;

  // resumable state: what the extractor is doing, as of the last byte consumed
  private ExtractionState.Phase phase = ExtractionState.Phase.HEADER;
  private Path fileTarget;
  private long fileSize;
  private int fileMode;
  private long fileMtime;
  private long fileWritten;
  private long skipRemaining;
  private long trailing;
  private final Set<Path> written = new LinkedHashSet<>();

  /**
   * @param in the tar stream
   * @param root real path of the target directory
   * @param manifest the archive's manifest
   * @param journal receives states and file creations (resumable mode), or {@code null}
   * @param resume the state to go on from (resumable mode), or {@code null}
   */
  TarExtractor(
      TarInput in,
      Path root,
      ArchiveManifest manifest,
      ResumableExtractor.Journal journal,
      ExtractionState resume) {
    this(in, root, manifest, journal, resume, false);
  }

  private TarExtractor(
      TarInput in,
      Path root,
      ArchiveManifest manifest,
      ResumableExtractor.Journal journal,
      ExtractionState resume,
      boolean dryRun) {
    this.in = in;
    this.root = root;
    this.manifest = manifest;
    this.journal = journal;
    this.resume = resume;
    this.dryRun = dryRun;
    // a restore keeps its journal at the top of the target: a dry run answers for a restore
    this.reservedNames = journal != null || dryRun;
    boolean p = false;
    if (!dryRun) {
      try {
        p = Files.getFileStore(root).supportsFileAttributeView(PosixFileAttributeView.class);
      } catch (IOException e) {
        p = false;
      }
    }
    this.posix = p;
    knownDirs.add(root);
    if (journal != null) {
      in.boundaryListener(this::chunkConsumed);
    }
  }

  /**
   * An extractor that checks every entry of {@code in} by the rules of an extraction into an empty
   * directory (journal names reserved, as for a restore) and writes nothing.
   */
  static TarExtractor dryRun(TarInput in, ArchiveManifest manifest) {
    return new TarExtractor(in, DRY_RUN_ROOT, manifest, null, null, true);
  }

  /** Extracts every entry, then checks the end-of-archive marker and the manifest's totals. */
  void run() {
    if (resume != null && resumeEntry()) {
      finishRun();
      return;
    }
    Map<String, String> pax = null;
    long paxOffset = 0;
    while (true) {
      long headerOffset = in.position();
      if (pax == null) {
        phase = ExtractionState.Phase.HEADER;
        if (journal != null) {
          in.startRecording(); // an entry's headers are saved whole if a boundary cuts them
        }
      }
      entryName = null;
      // an entry starts at its pax header, if any: errors name the chunk where it starts
      entryChunk = in.chunkAt(pax != null ? paxOffset : headerOffset);
      if (in.readFully(block, 0, BLOCK) < BLOCK) {
        throw corrupt("tar stream ends without an end-of-archive marker");
      }
      if (isZero(block)) {
        if (pax != null) {
          throw corrupt("pax extended header not followed by an entry");
        }
        finishStream(0);
        break;
      }
      checkChecksum(headerOffset);
      char type = (char) (block[156] & 0xff);
      String name = pax != null && pax.containsKey("path") ? pax.get("path") : headerName();
      entryName = name;
      long size =
          pax != null && pax.containsKey("size")
              ? paxNumber(pax.get("size"), "size")
              : octal(124, 12, "size");
      long mtime =
          pax != null && pax.containsKey("mtime")
              ? paxSeconds(pax.get("mtime"))
              : octal(136, 12, "mtime");
      int mode = (int) octal(100, 8, "mode");
      Map<String, String> entryPax = pax;
      pax = null;
      switch (type) {
        case 'x' -> {
          // errors in a pax header name the path it gives, never its own '././@PaxHeader'
          entryName = entryPax != null ? entryPax.get("path") : null;
          if (entryPax != null) {
            throw corrupt("two pax extended headers in a row");
          }
          pax = readPax(size);
          paxOffset = headerOffset;
        }
        case '0', '\0' -> extractFile(name, size, mode, mtime);
        case '5' -> extractDirectory(name, size, mtime);
        case '1' -> throw unsafe("hard link to '" + linkName(entryPax) + "'");
        case '2' -> throw unsafe("symbolic link to '" + linkName(entryPax) + "'");
        case '3' -> throw unsafe("character device");
        case '4' -> throw unsafe("block device");
        case '6' -> throw unsafe("FIFO");
        case 'g' -> throw unsafe("global pax header (not used by format v1)");
        case 'L' -> {
          entryName = null;
          entryName = gnuLongName(size);
          throw unsafe("GNU long name header (format v1 uses pax)");
        }
        case 'K' -> {
          entryName = null;
          String target = gnuLongName(size);
          throw unsafe("GNU long link name header, link to '" + target + "' (format v1 uses pax)");
        }
        case 'S' -> throw unsafe("GNU sparse file");
        default -> throw unsafe("unsupported tar entry type '" + printable(type) + "'");
      }
    }
    finishRun();
  }

  /** After the end marker: directory mtimes (deepest last-listed first), then the totals. */
  private void finishRun() {
    for (int i = dirTimes.size() - 1; i >= 0 && !dryRun; i--) {
      DirTime d = dirTimes.get(i);
      setTimes(d.dir(), FileTime.from(d.mtime(), TimeUnit.SECONDS));
    }
    if (files != manifest.fileCount() || content != manifest.contentSize()) {
      throw new ArchiveException(
          ArchiveException.Kind.CORRUPT,
          "archive holds "
              + files
              + " files and "
              + content
              + " bytes of file data, the manifest declares "
              + manifest.fileCount()
              + " files and "
              + manifest.contentSize()
              + " bytes");
    }
  }

  /**
   * Restores the counters and directory list of {@link #resume} and finishes what was in progress
   * at its boundary: the rest of a file's data, its padding, or the trailer. Header bytes cut by
   * the boundary come back through the input's prefix and are parsed by the main loop.
   *
   * @return whether the stream is finished (the state was in the trailer)
   */
  private boolean resumeEntry() {
    files = resume.files();
    content = resume.content();
    for (ExtractionState.DirTime d : resume.dirs()) {
      entryName = d.path();
      entryChunk = 0;
      dirTimes.add(new DirTime(resolve(d.path()), d.mtime()));
    }
    entryName = null;
    switch (resume.phase()) {
      case HEADER -> {
        return false;
      }
      case DATA -> {
        entryName = resume.entry();
        entryChunk = resume.entryChunk();
        Path target = resolve(resume.entry());
        ensureParents(target);
        try {
          BasicFileAttributes attrs =
              Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!attrs.isRegularFile()) {
            throw unsafe(
                "the file being written when the extraction stopped is no longer a regular file");
          }
        } catch (NoSuchFileException e) {
          throw unsafe("the file being written when the extraction stopped has disappeared");
        } catch (IOException e) {
          throw io("cannot inspect the file being written when the extraction stopped", e);
        }
        fileTarget = target;
        fileSize = resume.entrySize();
        fileMode = resume.entryMode();
        fileMtime = resume.entryMtime();
        fileWritten = resume.entryWritten();
        phase = ExtractionState.Phase.DATA;
        try (FileChannel out =
            FileChannel.open(target, Set.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
          if (out.size() < fileWritten) {
            throw unsafe(
                "the file being written when the extraction stopped has "
                    + out.size()
                    + " bytes, the saved state says "
                    + fileWritten
                    + " were written");
          }
          out.truncate(fileWritten);
          out.position(fileWritten);
          if (journal != null) {
            written.add(target);
          }
          writeData(out);
        } catch (IOException e) {
          throw io("cannot reopen the file being written when the extraction stopped", e);
        }
        finishFile();
        return false;
      }
      case SKIP -> {
        skipPadding(resume.skip());
        return false;
      }
      case TRAILER -> {
        finishStream(resume.trailing());
        return true;
      }
      default -> throw new IllegalStateException("unknown phase " + resume.phase());
    }
  }

  /** Called by the input when chunk {@code index} is consumed: hands the state to the journal. */
  private void chunkConsumed(int index) {
    long offset = in.position();
    int n = manifest.chunks().size();
    int nextChunk = index + 1;
    long expected = nextChunk >= n ? manifest.tarSize() : (long) nextChunk * manifest.chunkSize();
    if (offset != expected) {
      throw new IllegalStateException(
          "chunk " + index + " consumed at tar offset " + offset + ", expected " + expected);
    }
    if (phase == ExtractionState.Phase.DATA) {
      written.add(fileTarget);
    }
    List<ExtractionState.DirTime> dirs = new ArrayList<>(dirTimes.size());
    for (DirTime d : dirTimes) {
      dirs.add(new ExtractionState.DirTime(relative(d.dir()), d.mtime()));
    }
    boolean data = phase == ExtractionState.Phase.DATA;
    ExtractionState state =
        new ExtractionState(
            nextChunk,
            offset,
            phase,
            files,
            content,
            phase == ExtractionState.Phase.HEADER ? in.recorded() : null,
            data ? relative(fileTarget) : null,
            data ? fileSize : 0,
            data ? fileMode : 0,
            data ? fileMtime : 0,
            data ? fileWritten : 0,
            data ? entryChunk : 0,
            phase == ExtractionState.Phase.SKIP ? skipRemaining : 0,
            phase == ExtractionState.Phase.TRAILER ? trailing : 0,
            dirs);
    List<Path> paths = List.copyOf(written);
    written.clear();
    journal.chunkApplied(state, paths);
  }

  private String relative(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  private void extractFile(String name, long size, int mode, long mtime) {
    if (name.endsWith("/")) {
      throw unsafe("regular file entry whose name ends with '/'");
    }
    Path target = resolve(name);
    if (target.equals(root)) {
      throw unsafe("regular file entry with an empty name");
    }
    if (++files > manifest.fileCount()) {
      throw unsafe(
          "more files than the manifest's fileCount "
              + manifest.fileCount()
              + " (decompression bomb or wrong manifest)");
    }
    if (size > manifest.contentSize() - content) {
      throw unsafe(
          size
              + " bytes of data would take the total beyond the manifest's contentSize "
              + manifest.contentSize()
              + " (decompression bomb or wrong manifest)");
    }
    content += size;
    ensureParents(target);
    if (dryRun) {
      if (knownDirs.contains(target) || !knownFiles.add(target)) {
        throw alreadyExists();
      }
      fileTarget = target;
      fileSize = size;
      fileMode = mode;
      fileMtime = mtime;
      fileWritten = 0;
      phase = ExtractionState.Phase.DATA;
      try {
        writeData(null);
      } catch (IOException e) {
        throw io("cannot read the entry", e);
      }
      finishFile();
      return;
    }
    if (journal != null) {
      journal.beforeCreate(files, relative(target));
    }
    try (FileChannel out =
        FileChannel.open(
            target,
            Set.of(
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
      fileTarget = target;
      fileSize = size;
      fileMode = mode;
      fileMtime = mtime;
      fileWritten = 0;
      phase = ExtractionState.Phase.DATA;
      if (journal != null) {
        in.stopRecording();
        written.add(target);
        written.add(target.getParent());
      }
      writeData(out);
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists();
    } catch (IOException e) {
      throw io("cannot write the file", e);
    }
    finishFile();
  }

  private ArchiveException alreadyExists() {
    return unsafe(
        "already exists in the target (duplicate entry, or the target directory was not"
            + " empty); existing files are never overwritten");
  }

  /**
   * Writes the rest of the current file's data ({@code fileSize - fileWritten} bytes); a dry run
   * ({@code out} null) consumes it.
   */
  private void writeData(FileChannel out) throws IOException {
    long remaining = fileSize - fileWritten;
    while (remaining > 0) {
      ByteBuffer slice = in.slice((int) Math.min(remaining, WRITE_SLICE));
      if (slice == null) {
        throw corrupt("tar stream ends inside the entry's data");
      }
      int n = slice.remaining();
      while (out != null && slice.hasRemaining()) {
        out.write(slice);
      }
      remaining -= n;
      fileWritten += n;
    }
  }

  /** Sets the finished file's mode and mtime, then skips its padding. */
  private void finishFile() {
    if (!dryRun) {
      boolean exec = (fileMode & 0100) != 0;
      setPermissions(fileTarget, exec ? PERMS_EXEC : PERMS_FILE);
      setTimes(fileTarget, FileTime.from(fileMtime, TimeUnit.SECONDS));
    }
    skipPadding(TarEncoder.padded(fileSize) - fileSize);
  }

  /** Skips the zero padding after a file's data. */
  private void skipPadding(long n) {
    skipRemaining = n;
    phase = ExtractionState.Phase.SKIP;
    while (skipRemaining > 0) {
      ByteBuffer slice = in.slice((int) Math.min(skipRemaining, WRITE_SLICE));
      if (slice == null) {
        throw corrupt("tar stream ends inside the entry");
      }
      skipRemaining -= slice.remaining();
    }
    phase = ExtractionState.Phase.HEADER;
  }

  private void extractDirectory(String name, long size, long mtime) {
    if (size != 0) {
      throw unsafe("directory entry with " + size + " bytes of data");
    }
    Path dir = resolve(name);
    if (dir.equals(root)) {
      return; // "./": the target itself
    }
    ensureParents(dir);
    ensureDirectory(dir);
    dirTimes.add(new DirTime(dir, mtime));
  }

  /** Maps an entry name to a path under the root, refusing anything that could leave it. */
  private Path resolve(String name) {
    if (name.isEmpty()) {
      throw unsafe("empty entry name");
    }
    if (name.indexOf('\0') >= 0) {
      throw unsafe("NUL character in the entry name");
    }
    if (name.startsWith("/")) {
      throw unsafe("absolute path (entries must be relative to the target directory)");
    }
    int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (nameBytes > MAX_NAME_BYTES) {
      throw unsafe(
          "name of " + nameBytes + " bytes (names are limited to " + MAX_NAME_BYTES + " bytes)");
    }
    Path p = root;
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw unsafe("path escapes the target directory ('..' component)");
      }
      int partBytes = part.getBytes(StandardCharsets.UTF_8).length;
      if (partBytes > MAX_COMPONENT_BYTES) {
        throw unsafe(
            "path component of "
                + partBytes
                + " bytes (file names are limited to "
                + MAX_COMPONENT_BYTES
                + " bytes)");
      }
      if (reservedNames && p.equals(root) && part.startsWith(ResumableExtractor.RESERVED_PREFIX)) {
        throw unsafe("name reserved for the restore journal");
      }
      Path next;
      try {
        next = p.resolve(part);
      } catch (InvalidPathException e) {
        throw unsafe("name not valid on this file system: " + e.getMessage());
      }
      if (!p.equals(next.getParent()) || !part.equals(next.getFileName().toString())) {
        throw unsafe("path component '" + part + "' is not a plain file name on this system");
      }
      p = next;
    }
    if (!p.normalize().startsWith(root)) {
      throw unsafe("path escapes the target directory");
    }
    return p;
  }

  /** Makes sure every directory between the root and {@code path} is a real directory. */
  private void ensureParents(Path path) {
    Path parent = path.getParent();
    if (parent == null || knownDirs.contains(parent)) {
      return;
    }
    ensureParents(parent);
    ensureDirectory(parent);
  }

  /** Creates {@code dir} or checks it is a real directory (never a symlink to one). */
  private void ensureDirectory(Path dir) {
    if (knownDirs.contains(dir)) {
      return;
    }
    if (dryRun) {
      if (knownFiles.contains(dir)) {
        throw unsafe(
            "'" + root.relativize(dir) + "' already exists in the target and is not a directory");
      }
      knownDirs.add(dir);
      return;
    }
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isDirectory()) {
        throw unsafe(
            "'"
                + root.relativize(dir)
                + "' already exists in the target and is not a directory"
                + (attrs.isSymbolicLink() ? " but a symbolic link (never followed)" : ""));
      }
    } catch (NoSuchFileException e) {
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException raced) {
        throw unsafe("'" + root.relativize(dir) + "' appeared in the target during extraction");
      } catch (IOException ex) {
        throw io("cannot create directory '" + root.relativize(dir) + "'", ex);
      }
      setPermissions(dir, PERMS_EXEC);
      if (journal != null) {
        written.add(dir);
        written.add(dir.getParent());
      }
    } catch (IOException e) {
      throw io("cannot inspect '" + root.relativize(dir) + "'", e);
    }
    knownDirs.add(dir);
  }

  private void setPermissions(Path path, Set<PosixFilePermission> perms) {
    if (!posix) {
      return;
    }
    try {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(perms);
    } catch (IOException e) {
      throw io("cannot set permissions of '" + root.relativize(path) + "'", e);
    }
  }

  private void setTimes(Path path, FileTime mtime) {
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    } catch (IOException e) {
      throw io("cannot set the mtime of '" + root.relativize(path) + "'", e);
    }
  }

  private Map<String, String> readPax(long size) {
    if (size > MAX_PAX_SIZE) {
      throw unsafe("pax extended header of " + size + " bytes (limit " + MAX_PAX_SIZE + ")");
    }
    byte[] data = new byte[(int) size];
    if (in.readFully(data, 0, data.length) < data.length) {
      throw corrupt("tar stream ends inside a pax extended header");
    }
    skip(TarEncoder.padded(size) - size);
    Map<String, String> values = new HashMap<>();
    String sparse = null;
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        space++;
      }
      if (space == pos || space >= data.length || data[space] != ' ' || space - pos > 9) {
        throw corrupt("malformed pax record length");
      }
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      int end = pos + length;
      if (length <= space - pos + 1 || end > data.length || data[end - 1] != '\n') {
        throw corrupt("malformed pax record");
      }
      int eq = space + 1;
      while (eq < end - 1 && data[eq] != '=') {
        eq++;
      }
      if (eq >= end - 1) {
        throw corrupt("pax record without '='");
      }
      String key = utf8(data, space + 1, eq - space - 1, "pax key");
      String value;
      if (key.equals("path")) {
        value = entryNameOf(data, eq + 1, end - 1 - (eq + 1), "entry name (pax path)");
        entryName = value;
      } else {
        value = utf8(data, eq + 1, end - 1 - (eq + 1), "pax value of '" + key + "'");
      }
      if (key.startsWith("GNU.sparse.") && sparse == null) {
        sparse = key;
      }
      values.put(key, value);
      pos = end;
    }
    if (sparse != null) {
      throw unsafe("GNU sparse file (pax " + sparse + ")");
    }
    return values;
  }

  private void finishStream(long trailingSoFar) {
    // the first zero block is read; everything after it must be zeros, at least one more block
    phase = ExtractionState.Phase.TRAILER;
    trailing = trailingSoFar;
    if (journal != null) {
      in.stopRecording();
    }
    while (true) {
      ByteBuffer slice = in.slice(WRITE_SLICE);
      if (slice == null) {
        break;
      }
      int n = slice.remaining();
      while (slice.hasRemaining()) {
        if (slice.get() != 0) {
          entryChunk = in.chunkAt(in.position() - 1);
          throw corrupt("non-zero data after the end-of-archive marker");
        }
      }
      trailing += n;
    }
    if (trailing < BLOCK) {
      throw corrupt("end-of-archive marker is a single zero block");
    }
  }

  private void skip(long n) {
    while (n > 0) {
      ByteBuffer slice = in.slice((int) Math.min(n, WRITE_SLICE));
      if (slice == null) {
        throw corrupt("tar stream ends inside the entry");
      }
      n -= slice.remaining();
    }
  }

  private void checkChecksum(long headerOffset) {
    long stored = octal(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw corrupt("bad tar header checksum at tar offset " + headerOffset);
    }
    boolean posixMagic =
        block[257] == 'u'
            && block[258] == 's'
            && block[259] == 't'
            && block[260] == 'a'
            && block[261] == 'r';
    if (!posixMagic) {
      throw corrupt("not a ustar/pax header at tar offset " + headerOffset);
    }
  }

  private String headerName() {
    byte[] raw = cBytes(0, 100);
    boolean ustar = block[262] == 0 && block[263] == '0' && block[264] == '0';
    if (ustar && block[345] != 0) {
      byte[] prefix = cBytes(345, 155);
      byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + raw.length);
      joined[prefix.length] = '/';
      System.arraycopy(raw, 0, joined, prefix.length + 1, raw.length);
      raw = joined;
    }
    return entryNameOf(raw, 0, raw.length, "entry name");
  }

  /**
   * Decodes an entry name; one that is not UTF-8 is refused, and the error names it with its
   * undecodable bytes as {@code \xNN}.
   */
  private String entryNameOf(byte[] b, int off, int len, String what) {
    String decoded = decodeUtf8(b, off, len);
    if (decoded == null) {
      entryName = escaped(b, off, len);
      throw corrupt(what + " is not valid UTF-8 (undecodable bytes shown as \\xNN)");
    }
    return decoded;
  }

  /**
   * Reads the data of a GNU long name or long link header (the name it gives), for the message that
   * refuses it.
   */
  private String gnuLongName(long size) {
    if (size > MAX_PAX_SIZE) {
      throw unsafe("GNU long name/link header of " + size + " bytes (format v1 uses pax)");
    }
    byte[] data = new byte[(int) size];
    if (in.readFully(data, 0, data.length) < data.length) {
      throw corrupt("tar stream ends inside a GNU long name/link header");
    }
    int len = 0;
    while (len < data.length && data[len] != 0) {
      len++;
    }
    String decoded = decodeUtf8(data, 0, len);
    return decoded != null ? decoded : escaped(data, 0, len);
  }

  private byte[] cBytes(int off, int len) {
    int end = off;
    while (end < off + len && block[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(block, off, end);
  }

  private static String decodeUtf8(byte[] b, int off, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Printable ASCII as is, every other byte as {@code \xNN}. */
  static String escaped(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = off; i < off + len; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  private String linkName(Map<String, String> pax) {
    if (pax != null && pax.containsKey("linkpath")) {
      return pax.get("linkpath");
    }
    try {
      return cString(157, 100, "linkname");
    } catch (ArchiveException e) {
      return "?";
    }
  }

  private String cString(int off, int len, String field) {
    int end = off;
    while (end < off + len && block[end] != 0) {
      end++;
    }
    return utf8(block, off, end - off, field);
  }

  private String utf8(byte[] b, int off, int len, String what) {
    String decoded = decodeUtf8(b, off, len);
    if (decoded == null) {
      throw corrupt(what + " is not valid UTF-8");
    }
    return decoded;
  }

  /** Parses a NUL- or space-terminated octal field (leading spaces allowed). */
  private long octal(int off, int len, String field) {
    int i = off;
    int end = off + len;
    while (i < end && block[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end; i++) {
      byte b = block[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw corrupt("tar header field '" + field + "' is not octal");
      }
      value = value * 8 + (b - '0');
      digits++;
    }
    for (; i < end; i++) {
      if (block[i] != 0 && block[i] != ' ') {
        throw corrupt("tar header field '" + field + "' is not octal");
      }
    }
    if (digits > 11) {
      throw corrupt("tar header field '" + field + "' is too long");
    }
    return value;
  }

  private long paxNumber(String value, String key) {
    try {
      long v = Long.parseLong(value);
      if (v < 0) {
        throw corrupt("negative pax " + key);
      }
      return v;
    } catch (NumberFormatException e) {
      throw corrupt("pax " + key + " is not a number: " + value);
    }
  }

  private long paxSeconds(String value) {
    try {
      BigDecimal seconds = new BigDecimal(value);
      if (seconds.abs().compareTo(BigDecimal.valueOf(1L << 40)) > 0) {
        throw corrupt("pax mtime out of range: " + value);
      }
      return seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw corrupt("pax mtime is not a number: " + value);
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }

  private String where() {
    return (entryName != null ? "entry '" + entryName + "' " : "") + "(chunk " + entryChunk + ")";
  }

  private ArchiveException unsafe(String message) {
    return new ArchiveException(
        ArchiveException.Kind.UNSAFE_ENTRY,
        "unsafe archive " + where() + ": " + message,
        entryName,
        entryChunk,
        null);
  }

  private ArchiveException corrupt(String message) {
    return new ArchiveException(
        ArchiveException.Kind.CORRUPT,
        "corrupt archive " + where() + ": " + message,
        entryName,
        entryChunk,
        null);
  }

  private ArchiveException io(String message, IOException cause) {
    if (cause instanceof FileSystemException fse
        && fse.getReason() != null
        && fse.getReason().toLowerCase(java.util.Locale.ROOT).contains("name too long")) {
      // the name rules above allow it, but not with the target's own path in front
      return unsafe("name too long for this file system under " + root);
    }
    return new ArchiveException(
        ArchiveException.Kind.IO,
        "extracting " + where() + ": " + message + ": " + cause,
        entryName,
        entryChunk,
        cause);
  }
}
