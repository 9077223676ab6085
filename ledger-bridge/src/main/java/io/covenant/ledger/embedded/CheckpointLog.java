package io.covenant.ledger.embedded;

import io.covenant.core.codec.Json;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.segment.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's own signed checkpoints, oldest first, each written before it is handed out: forced to the disk when
 * made on opening and when the ledger closes, written back by the operating system in between ({@link #appendLazily}).
 */
final class CheckpointLog {
  private final Path file;

  CheckpointLog(Path file) {
    this.file = file;
  }

  /** Reads every checkpoint; a torn last record (crash while writing it) is cut off, damage elsewhere is an error. */
  List<SignedCheckpoint> recover() throws IOException {
    if (!Files.exists(file)) return List.of();
    byte[] data = Files.readAllBytes(file);
    SegmentFile.Scan scan = SegmentFile.scan(data);
    if (scan.ending() == SegmentFile.Ending.DAMAGED) {
      throw new IntegrityException(
          "checkpoint " + (scan.count() + 1) + " in " + file + " fails its checksum at byte " + scan.validLength()
              + " and valid checkpoints follow it: the file was damaged; restore it from a backup");
    }
    List<SignedCheckpoint> out = new ArrayList<>(scan.count());
    for (int i = 0; i < scan.count(); i++) {
      try {
        out.add(SignedCheckpoint.fromJson(Json.parseObject(scan.payload(i))));
      } catch (MalformedInputException e) {
        throw new IntegrityException("checkpoint " + (i + 1) + " in " + file + " does not parse (" + e.getMessage() + "): the file was edited");
      }
    }
    if (scan.ending() == SegmentFile.Ending.TORN) truncate(scan.validLength());
    return out;
  }

  /** Appends {@code cp} and forces it to the disk before returning. */
  void append(SignedCheckpoint cp) throws IOException {
    boolean created = !Files.exists(file);
    write(cp);
    force();
    if (created) DurableFiles.syncDirectory(file.getParent());
  }

  /**
   * Appends {@code cp} without waiting for the disk (the operating system writes it back; {@link #force} makes it
   * durable). For checkpoints signed while the ledger runs: each covers only entries already durable, so one lost to a
   * power cut costs nothing the entries cannot prove again (reopening verifies the tail past the last persisted
   * checkpoint entry by entry and signs a new one over the same root), while a forced write per checkpoint put a data
   * sync on every answer that carries one.
   */
  void appendLazily(SignedCheckpoint cp) throws IOException {
    if (!Files.exists(file)) {
      append(cp);
      return;
    }
    write(cp);
  }

  /** Forces every checkpoint written so far to the disk. */
  void force() throws IOException {
    if (!Files.exists(file)) return;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(false);
    }
  }

  private void write(SignedCheckpoint cp) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      DurableFiles.writeFully(ch, new ByteBuffer[] {ByteBuffer.wrap(SegmentFile.frame(cp.toJson().canonicalBytes()))});
    }
  }

  private void truncate(long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
      ch.force(true);
    }
  }
}
