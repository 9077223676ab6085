package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Arrays in NumPy's {@code .npy} format, version 1.0, so that a benchmark's peer written in Python reads exactly the
 * numbers the Java side used ({@code numpy.load}, no parsing of text). The format (NumPy Enhancement Proposal 1, "A
 * simple file format for NumPy arrays"): the magic {@code \x93NUMPY}, the version bytes 1 and 0, a little-endian
 * 16-bit header length, then a Python dict literal naming the dtype, the order and the shape, padded with spaces and a
 * newline so that the data starts at a multiple of 64 bytes; then the values, C order.
 *
 * <p>Only what the benchmarks exchange: little-endian float64 ({@code <f8}) and int64 ({@code <i8}), one or two
 * dimensions. {@link #read} reads back what {@link #write} wrote (and what NumPy writes for those dtypes).
 */
final class NpyFile {
  private NpyFile() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern HEADER = Pattern.compile("\\{'descr': '(<f8|<i8)', 'fortran_order': False, 'shape': \\((\\d+),(?: (\\d+)\\)|\\))");

  /** The contents of a file: its shape (one or two dimensions) and its values in C order, as doubles or as longs. */
  record Array(int[] shape, double[] doubles, long[] longs) {
    boolean isInteger() {
      return longs != null;
    }
  }

  static void write(Path file, double[] values) {
    write(file, "<f8", new int[] {values.length}, values, null);
  }

  static void write(Path file, double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[Math.multiplyExact(rows.length, cols)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) throw new CovenantException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols + ": an .npy array is rectangular");
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    write(file, "<f8", new int[] {rows.length, cols}, flat, null);
  }

  static void write(Path file, long[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    long[] flat = new long[Math.multiplyExact(rows.length, cols)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) throw new CovenantException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols + ": an .npy array is rectangular");
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    write(file, "<i8", new int[] {rows.length, cols}, null, flat);
  }

  private static void write(Path file, String descr, int[] shape, double[] doubles, long[] longs) {
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
    StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }");
    int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
    header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(MAGIC);
      out.write(new byte[] {1, 0, (byte) headerBytes.length, (byte) (headerBytes.length >>> 8)});
      out.write(headerBytes);
      ByteBuffer chunk = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
      int n = doubles != null ? doubles.length : longs.length;
      for (int i = 0; i < n; i++) {
        if (doubles != null) chunk.putDouble(doubles[i]);
        else chunk.putLong(longs[i]);
        if (!chunk.hasRemaining()) {
          out.write(chunk.array(), 0, chunk.position());
          chunk.clear();
        }
      }
      out.write(chunk.array(), 0, chunk.position());
    } catch (IOException e) {
      throw new CovenantException("cannot write " + file + " for the benchmark's peer: " + e.getMessage(), e);
    }
  }

  static Array read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CovenantException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC) || bytes[6] != 1 || bytes[7] != 0) {
      throw new CovenantException(file + " is not a version 1.0 .npy file");
    }
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    if (10 + headerLength > bytes.length) throw new CovenantException(file + " ends inside its .npy header");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(header);
    if (!m.lookingAt()) throw new CovenantException(file + " holds an array this reader does not take (only little-endian float64 or int64, C order, 1 or 2 dimensions): " + header.strip());
    int[] shape = m.group(3) == null ? new int[] {Integer.parseInt(m.group(2))} : new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    long count = shape.length == 1 ? shape[0] : (long) shape[0] * shape[1];
    ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).order(ByteOrder.LITTLE_ENDIAN);
    if (data.remaining() != count * 8) throw new CovenantException(file + " holds " + data.remaining() + " bytes of data where its shape needs " + count * 8);
    if (m.group(1).equals("<f8")) {
      double[] values = new double[(int) count];
      data.asDoubleBuffer().get(values);
      return new Array(shape, values, null);
    }
    long[] values = new long[(int) count];
    data.asLongBuffer().get(values);
    return new Array(shape, null, values);
  }
}
