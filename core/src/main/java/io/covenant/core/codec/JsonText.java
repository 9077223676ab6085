package io.covenant.core.codec;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Strict JSON (RFC 8259) reader and the canonical writer behind {@link Json}. */
final class JsonText {
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final int MAX_DEPTH = 64;
  private final String s;
  private int pos;

  private JsonText(String s) {
    this.s = s;
  }

  static Json parse(String text) {
    if (text == null) throw new MalformedInputException("expected JSON, got nothing");
    JsonText p = new JsonText(text);
    p.ws();
    Json v = p.value(0);
    p.ws();
    if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
    return v;
  }

  private MalformedInputException error(String what) {
    int line = 1, col = 1;
    for (int i = 0; i < Math.min(pos, s.length()); i++) {
      if (s.charAt(i) == '\n') {
        line++;
        col = 1;
      } else col++;
    }
    return new MalformedInputException("malformed JSON at line " + line + ", column " + col + ": " + what);
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
      else break;
    }
  }

  private Json value(int depth) {
    if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    if (pos >= s.length()) throw error("unexpected end of input");
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> new Json.JString(string());
      case 't' -> literal("true", new Json.JBool(true));
      case 'f' -> literal("false", new Json.JBool(false));
      case 'n' -> literal("null", Json.NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) yield number();
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Json literal(String word, Json v) {
    if (!s.startsWith(word, pos)) throw error("expected " + word);
    pos += word.length();
    return v;
  }

  private Json object(int depth) {
    pos++;
    Map<String, Json> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      pos++;
      return new Json.JObject(m);
    }
    while (true) {
      ws();
      if (peek() != '"') throw error("expected a member name in quotes");
      String k = string();
      ws();
      if (peek() != ':') throw error("expected ':' after member name");
      pos++;
      ws();
      if (m.put(k, value(depth + 1)) != null) throw error("duplicate member '" + k + "'");
      ws();
      char c = peek();
      pos++;
      if (c == '}') return new Json.JObject(m);
      if (c != ',') throw error("expected ',' or '}'");
    }
  }

  private Json array(int depth) {
    pos++;
    List<Json> items = new ArrayList<>();
    ws();
    if (peek() == ']') {
      pos++;
      return new Json.JArray(items);
    }
    while (true) {
      ws();
      items.add(value(depth + 1));
      ws();
      char c = peek();
      pos++;
      if (c == ']') return new Json.JArray(items);
      if (c != ',') throw error("expected ',' or ']'");
    }
  }

  private char peek() {
    if (pos >= s.length()) throw error("unexpected end of input");
    return s.charAt(pos);
  }

  private String string() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) throw error("unterminated string");
      char c = s.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c < 0x20) throw error("control character in string");
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) throw error("unterminated escape");
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) throw error("short \\u escape");
          try {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private Json number() {
    int start = pos;
    if (peek() == '-') pos++;
    while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) pos++;
    String t = s.substring(start, pos);
    if (!NUMBER.matcher(t).matches()) throw error("malformed number '" + t + "'");
    return new Json.JNumber(new BigDecimal(t));
  }

  static void write(Json v, StringBuilder out) {
    switch (v) {
      case Json.JString str -> writeString(str.value(), out);
      case Json.JNumber n -> out.append(numberText(n.value()));
      case Json.JBool b -> out.append(b.value());
      case Json.JNull ignored -> out.append("null");
      case Json.JArray a -> {
        out.append('[');
        for (int i = 0; i < a.items().size(); i++) {
          if (i > 0) out.append(',');
          write(a.items().get(i), out);
        }
        out.append(']');
      }
      case Json.JObject o -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Json> e : o.members().entrySet()) {
          if (!first) out.append(',');
          first = false;
          writeString(e.getKey(), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
    }
  }

  private static String numberText(BigDecimal d) {
    BigDecimal x = d.stripTrailingZeros();
    if (x.signum() == 0) return "0";
    return x.scale() <= 0 ? x.toBigIntegerExact().toString() : x.toPlainString();
  }

  private static void writeString(String str, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
