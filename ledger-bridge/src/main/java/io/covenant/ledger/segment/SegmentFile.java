package io.covenant.ledger.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The record framing of the embedded ledger's files (entry segments and the checkpoint log):
 *
 * <pre>
 *   u32 payload length | u32 CRC32C(payload) | u32 CRC32C(first 8 header bytes) | payload
 * </pre>
 *
 * all big-endian. The header carries its own checksum so that a damaged length is recognised as damage instead of
 * being followed off the end of the file, and so that a scan can tell a write cut short by a crash (nothing valid
 * after it: safe to truncate) from damage in the middle of the file (valid records after it: never truncated).
 */
public final class SegmentFile {
  public static final int HEADER_BYTES = 12;
  /** Entries hold ids and hashes only; anything near this size is a mistake, not an event. */
  public static final int MAX_PAYLOAD_BYTES = 4 << 20;

  private SegmentFile() {}

  /** How a scan ended. */
  public enum Ending {
    /** Every byte belongs to a valid record. */
    CLEAN,
    /** The file ends in a partial or unchecksummed record and nothing valid follows: an interrupted write. */
    TORN,
    /** A record fails its checksum and valid records follow it: the file was damaged after it was written. */
    DAMAGED
  }

  /** The records found in a file's bytes, up to the first bad one. */
  public static final class Scan {
    private final byte[] data;
    private final int[] starts;
    private final int[] lengths;
    private final int count;
    private final int validLength;
    private final Ending ending;

    private Scan(byte[] data, int[] starts, int[] lengths, int count, int validLength, Ending ending) {
      this.data = data;
      this.starts = starts;
      this.lengths = lengths;
      this.count = count;
      this.validLength = validLength;
      this.ending = ending;
    }

    /** Number of valid records before the first bad one. */
    public int count() {
      return count;
    }

    /** The payload of valid record {@code i}. */
    public byte[] payload(int i) {
      if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
      return Arrays.copyOfRange(data, starts[i], starts[i] + lengths[i]);
    }

    /** Byte offset of valid record {@code i}'s header. */
    public int offset(int i) {
      if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
      return starts[i] - HEADER_BYTES;
    }

    /** Bytes up to the end of the last valid record: where the first bad record (if any) starts. */
    public int validLength() {
      return validLength;
    }

    public Ending ending() {
      return ending;
    }
  }

  /** The framed bytes of one record. */
  public static byte[] frame(byte[] payload) {
    if (payload.length > MAX_PAYLOAD_BYTES) throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(payload.length);
    b.putInt(crc(payload, 0, payload.length));
    b.putInt(crc(b.array(), 0, 8));
    b.put(payload);
    return b.array();
  }

  /** Walks the records in {@code data} from the start, stopping at the first that does not check out. */
  public static Scan scan(byte[] data) {
    int[] starts = new int[64];
    int[] lengths = new int[64];
    int count = 0;
    int pos = 0;
    while (pos < data.length) {
      int len = validRecordAt(data, pos);
      if (len < 0) break;
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        lengths = Arrays.copyOf(lengths, count * 2);
      }
      starts[count] = pos + HEADER_BYTES;
      lengths[count] = len;
      count++;
      pos += HEADER_BYTES + len;
    }
    Ending ending = pos == data.length ? Ending.CLEAN : validRecordAfter(data, pos) ? Ending.DAMAGED : Ending.TORN;
    return new Scan(data, starts, lengths, count, pos, ending);
  }

  /** Reads the payload length of the record whose header is at {@code b[off..off+12)}, or -1 if the header is bad. */
  public static int headerLength(byte[] b, int off) {
    if (off < 0 || b.length - off < HEADER_BYTES) return -1;
    ByteBuffer h = ByteBuffer.wrap(b, off, HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    int len = h.getInt();
    h.getInt();
    int headerCrc = h.getInt();
    if (headerCrc != crc(b, off, 8) || len < 0 || len > MAX_PAYLOAD_BYTES) return -1;
    return len;
  }

  /** True if the payload after the header at {@code off} is complete and matches its checksum. */
  public static boolean payloadIntact(byte[] b, int off, int len) {
    if ((long) off + HEADER_BYTES + len > b.length) return false;
    int payloadCrc = ByteBuffer.wrap(b, off + 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
    return payloadCrc == crc(b, off + HEADER_BYTES, len);
  }

  private static int validRecordAt(byte[] b, int off) {
    int len = headerLength(b, off);
    return len >= 0 && payloadIntact(b, off, len) ? len : -1;
  }

  /** Is there a complete, checksummed record starting anywhere after {@code bad}? Only run once, on a bad record. */
  private static boolean validRecordAfter(byte[] b, int bad) {
    for (int off = bad + 1; off + HEADER_BYTES <= b.length; off++) {
      if (validRecordAt(b, off) >= 0) return true;
    }
    return false;
  }

  static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }
}
