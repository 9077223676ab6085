package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads records of RFC 4180 CSV: fields separated by commas, records by CRLF (a bare LF is accepted too), fields
 * optionally enclosed in double quotes, inside which commas, line breaks and doubled quotes ("") are data.
 * Anything else (a quote inside an unquoted field, text after a closing quote, a quote left open at the end)
 * is an error naming the line it is on.
 *
 * <p>A field is reported as {@code null} when it is empty and unquoted, so callers can tell a missing value from
 * a quoted empty string.
 */
final class CsvRecords implements AutoCloseable {
  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
  private boolean endOfBytes;
  private boolean badBytesAhead;
  private boolean flushed;
  private final String source;
  private int peeked = -2;
  private long line = 1;
  private long recordLine;

  /** Decodes UTF-8 itself (rather than through a Reader) so that invalid bytes are reported on their own line. */
  CsvRecords(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** The name errors use for the input (its file name). */
  String source() {
    return source;
  }

  /** The line on which the record last returned by {@link #next()} starts (1-based). */
  long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end of the input. */
  List<String> next() {
    if (line == 1 && recordLine == 0 && peek() == '\uFEFF') read(); // the byte-order mark spreadsheet programs write
    if (peek() == -1) return null;
    recordLine = line;
    List<String> fields = new ArrayList<>();
    while (true) {
      fields.add(field());
      int c = read();
      if (c == ',') continue;
      if (c == -1) return fields;
      if (c == '\r') {
        if (peek() == '\n') read();
        line++;
        return fields;
      }
      if (c == '\n') {
        line++;
        return fields;
      }
      throw error("unexpected character '" + (char) c + "' after a field");
    }
  }

  /** Reads one field, leaving the delimiter that ends it unread. */
  private String field() {
    if (peek() != '"') {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int c = peek();
        if (c == -1 || c == ',' || c == '\r' || c == '\n') return sb.isEmpty() ? null : sb.toString();
        if (c == '"') throw error("a double quote inside an unquoted field; enclose the field in quotes and double the quote (\"\")");
        sb.append((char) read());
      }
    }
    long opened = line;
    read();
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = read();
      if (c == -1) throw new MalformedInputException(source + ", line " + opened + ": a quoted field opens here and is never closed; check for a missing \"");
      if (c == '"') {
        if (peek() == '"') {
          read();
          sb.append('"');
          continue;
        }
        int after = peek();
        if (after != -1 && after != ',' && after != '\r' && after != '\n') {
          throw error("text after the closing quote of a field; a quote inside a quoted field must be doubled (\"\")");
        }
        return sb.toString();
      }
      if (c == '\n' || (c == '\r' && peek() != '\n')) line++;
      sb.append((char) c);
    }
  }

  private MalformedInputException error(String what) {
    return new MalformedInputException(source + ", line " + line + ": " + what);
  }

  private int peek() {
    if (peeked == -2) peeked = raw();
    return peeked;
  }

  private int read() {
    int c = peek();
    peeked = -2;
    return c;
  }

  private int raw() {
    if (!chars.hasRemaining()) refill();
    if (chars.hasRemaining()) return chars.get();
    if (badBytesAhead) {
      throw new MalformedInputException(source + ", line " + line + ": the file is not valid UTF-8 here; save it as UTF-8 and import again");
    }
    return -1;
  }

  /** Decodes the next piece; stops early at invalid bytes so everything before them is still read normally. */
  private void refill() {
    chars.clear();
    try {
      while (chars.position() == 0 && !badBytesAhead && !flushed) {
        if (!endOfBytes) {
          bytes.compact();
          int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
          if (n < 0) endOfBytes = true;
          else bytes.position(bytes.position() + n);
          bytes.flip();
        }
        CoderResult r = decoder.decode(bytes, chars, endOfBytes);
        if (r.isError()) badBytesAhead = true;
        else if (endOfBytes && r.isUnderflow()) {
          decoder.flush(chars); // UTF-8 keeps no state to flush, so this never overflows
          flushed = true;
        }
      }
    } catch (IOException e) {
      throw new MalformedInputException(source + ", line " + line + ": could not read the file: " + e.getMessage(), e);
    } finally {
      chars.flip();
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing was written; a failed close of a reader loses nothing.
    }
  }
}
