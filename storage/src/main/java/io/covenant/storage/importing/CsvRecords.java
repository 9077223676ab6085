package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
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
  private final Reader in;
  private final String source;
  private int peeked = -2;
  private long line = 1;
  private long recordLine;

  CsvRecords(Reader in, String source) {
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
      if (c == -1) throw new MalformedInputException(source + ": the quoted field opened on line " + opened + " is never closed");
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
    try {
      return in.read();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException(source + ", line " + line + ": the file is not valid UTF-8; save it as UTF-8 and import again", e);
    } catch (IOException e) {
      throw new MalformedInputException(source + ", line " + line + ": could not read the file: " + e.getMessage(), e);
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
