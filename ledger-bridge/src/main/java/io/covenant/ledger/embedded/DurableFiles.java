package io.covenant.ledger.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file operations durability rests on. */
public final class DurableFiles {
  private DurableFiles() {}

  /** Makes a created, renamed or deleted directory entry durable (POSIX: fsync the directory). */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; there the rename/create is as durable as it gets.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) throw e;
    }
  }

  /**
   * Replaces {@code file} with {@code content} so that after a crash it holds either the old or the new content,
   * never a part: write a sibling, fsync it, rename it over the file, fsync the directory. {@code ownerOnly} creates
   * the file readable by its owner alone (0600), for private keys.
   */
  public static void writeAtomically(Path file, byte[] content, boolean ownerOnly) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    java.nio.file.Files.deleteIfExists(tmp);
    if (ownerOnly && java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, new ByteBuffer[] {ByteBuffer.wrap(content)});
      ch.force(true);
    }
    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /**
   * Overwrites {@code file} in place with {@code content} and syncs its data (one {@code fdatasync}; the directory too
   * when the file is new). Not atomic: a crash may leave it torn, so callers keep two such files and read the newer valid
   * one (see the mirror's state slots); in exchange it costs one sync where {@link #writeAtomically} costs two.
   */
  public static void overwriteDurably(Path file, byte[] content) throws IOException {
    boolean created = !java.nio.file.Files.exists(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, new ByteBuffer[] {ByteBuffer.wrap(content)});
      ch.force(false);
    }
    if (created) syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Appends {@code content} to {@code file} (created if absent) and fsyncs it before returning. */
  public static void appendDurably(Path file, byte[] content) throws IOException {
    boolean created = !java.nio.file.Files.exists(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      writeFully(ch, new ByteBuffer[] {ByteBuffer.wrap(content)});
      ch.force(false);
    }
    if (created) syncDirectory(file.toAbsolutePath().getParent());
  }

  static void writeFully(FileChannel ch, ByteBuffer[] buffers) throws IOException {
    int first = 0;
    while (first < buffers.length) {
      ch.write(buffers, first, buffers.length - first);
      while (first < buffers.length && !buffers[first].hasRemaining()) first++;
    }
  }

  static byte[] readRange(Path file, long from, long to) throws IOException {
    byte[] out = new byte[Math.toIntExact(to - from)];
    ByteBuffer b = ByteBuffer.wrap(out);
    // A channel per read: an interrupted reader closes only its own channel, never one other threads share.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (b.hasRemaining()) {
        if (ch.read(b, from + b.position()) < 0) throw new IOException(file + " ends at " + (from + b.position()) + ", before byte " + to);
      }
    }
    return out;
  }
}
