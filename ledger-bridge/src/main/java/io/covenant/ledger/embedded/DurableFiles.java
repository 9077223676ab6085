package io.covenant.ledger.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file operations durability rests on. */
final class DurableFiles {
  private DurableFiles() {}

  /** Makes a created, renamed or deleted directory entry durable (POSIX: fsync the directory). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; there the rename/create is as durable as it gets.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) throw e;
    }
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
