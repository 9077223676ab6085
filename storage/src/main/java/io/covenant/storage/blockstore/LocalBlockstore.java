package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * A blockstore on the local file system, the embedded default.
 *
 * <p>Layout: {@code <dir>/<shard>/<cid>} where {@code <shard>} is the two characters before the last one of the
 * CID's base32 text, the "next-to-last/2" scheme of go-ds-flatfs (the store behind Kubo), chosen because the last
 * character carries only padding bits and would fan out badly. Temporary files live in {@code <dir>/.tmp}.
 *
 * <p>Crash safety: a block is written to a fresh temporary file, forced to disk, atomically renamed to its final name,
 * and the directory is forced so the rename itself survives a power cut. A crash at any point leaves either no block
 * or the whole block under its name; reads never look at temporary files, and abandoned ones are deleted when the
 * store is opened. Because every
 * read is checked against the CID, a block damaged later on disk is reported, never returned, and {@link #put}
 * repairs it.
 */
public final class LocalBlockstore implements Blockstore {
  private static final String TEMP_DIR = ".tmp";
  /** A put takes well under a second; a temporary file this old was left by a process that died. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);
  private final Path dir;
  private final Path temp;

  public LocalBlockstore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.temp = this.dir.resolve(TEMP_DIR);
    try {
      Files.createDirectories(temp);
      removeLeftoverTemporaryFiles();
    } catch (IOException e) {
      throw new CovenantException("cannot open block store at " + this.dir + ": " + e.getMessage() + "; check that the directory is writable", e);
    }
  }

  @Override
  public Cid put(long codec, byte[] block) {
    return store(Cid.of(codec, block), block);
  }

  /** Under the national suite the block's CID carries an sm3-256 multihash; the store keeps either kind. */
  @Override
  public Cid put(CryptoSuite suite, long codec, byte[] block) {
    return store(Cid.of(suite, codec, block), block);
  }

  private Cid store(Cid cid, byte[] block) {
    Path target = pathOf(cid);
    if (Files.isRegularFile(target) && intact(cid, target)) return cid;
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(temp, cid.toString(), ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(block);
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new CovenantException("block store at " + dir + " is on a file system without atomic rename; use a local POSIX file system", e);
      }
      tmp = null;
      forceDirectory(target.getParent());
      return cid;
    } catch (IOException e) {
      throw new CovenantException("could not store block " + cid + " in " + dir + ": " + e.getMessage() + "; check free space and permissions", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The next open removes it.
        }
      }
    }
  }

  @Override
  public byte[] get(Cid cid) {
    byte[] block = getToRelay(cid);
    if (!cid.matches(block)) {
      throw new IntegrityException("block " + cid + " in " + dir + " does not match its CID: it was corrupted, truncated or replaced on disk; "
          + "put the original block again or restore it from a replica");
    }
    return block;
  }

  @Override
  public byte[] getToRelay(Cid cid) {
    try {
      return Files.readAllBytes(pathOf(cid));
    } catch (NoSuchFileException e) {
      throw new MissingBlockException(cid, "the block store at " + dir + " does not hold it; publish it again or read from the store that holds it");
    } catch (IOException e) {
      throw new CovenantException("could not read block " + cid + " from " + dir + ": " + e.getMessage() + "; check permissions", e);
    }
  }

  @Override
  public int get(Cid cid, byte[] into) {
    int length;
    try (FileChannel in = FileChannel.open(pathOf(cid), StandardOpenOption.READ)) {
      long size = in.size();
      if (size > into.length) {
        throw new IntegrityException("block " + cid + " in " + dir + " is " + size + " bytes, more than the " + into.length + " expected: "
            + "it was replaced on disk or the caller expected another block");
      }
      length = (int) size;
      ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
      while (buffer.hasRemaining()) {
        if (in.read(buffer) < 0) break;
      }
      if (buffer.hasRemaining()) {
        throw new IntegrityException("block " + cid + " in " + dir + " was truncated while it was read; put the original block again or restore it from a replica");
      }
    } catch (NoSuchFileException e) {
      throw new MissingBlockException(cid, "the block store at " + dir + " does not hold it; publish it again or read from the store that holds it");
    } catch (IOException e) {
      throw new CovenantException("could not read block " + cid + " from " + dir + ": " + e.getMessage() + "; check permissions", e);
    }
    Digest actual = cid.suite().hash(into, 0, length);
    if (!actual.equals(cid.digest())) {
      throw new IntegrityException("block " + cid + " in " + dir + " does not match its CID: it was corrupted, truncated or replaced on disk; "
          + "put the original block again or restore it from a replica");
    }
    return length;
  }

  @Override
  public boolean has(Cid cid) {
    return Files.isRegularFile(pathOf(cid));
  }

  /** The directory this store keeps its blocks in. */
  public Path directory() {
    return dir;
  }

  @Override
  public String toString() {
    return "local block store " + dir;
  }

  Path pathOf(Cid cid) {
    String text = cid.toString();
    return dir.resolve(text.substring(text.length() - 3, text.length() - 1)).resolve(text);
  }

  private static boolean intact(Cid cid, Path file) {
    try {
      return cid.matches(Files.readAllBytes(file));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes temporary files older than {@link #ABANDONED_AFTER}: left by a crash. Younger ones may belong to a put
   * in flight in another store instance on the same directory, so they stay; reads never look at them either way.
   */
  private void removeLeftoverTemporaryFiles() throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temp)) {
      for (Path p : leftovers) {
        try {
          if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) Files.deleteIfExists(p);
        } catch (NoSuchFileException gone) {
          // Renamed into place or removed by its writer meanwhile.
        }
      }
    }
  }

  /** Makes a rename durable: POSIX only promises it once the directory entry itself is on disk. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
