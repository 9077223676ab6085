package io.covenant.core.codec;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON value with one canonical encoding, used for everything that is hashed or signed (manifests, policies,
 * ledger entries). The encoding follows RFC 8785 (JSON Canonicalization Scheme) for the subset Covenant signs:
 * object members sorted by UTF-16 code units, no insignificant white space, minimal string escaping. Numbers in
 * signed documents are integers; a fractional number is written in its shortest plain decimal form, which RFC 8785
 * would write the same way for every value we produce (no exponents below 1e21).
 */
public sealed interface Json {

  record JString(String value) implements Json {
    public JString {
      if (value == null) throw new IllegalArgumentException("null string");
    }
  }

  record JNumber(BigDecimal value) implements Json {
    public JNumber {
      if (value == null) throw new IllegalArgumentException("null number");
    }

    public long longValue() {
      try {
        return value.longValueExact();
      } catch (ArithmeticException e) {
        throw new MalformedInputException("number " + value + " is not a whole number in the 64-bit range");
      }
    }
  }

  record JBool(boolean value) implements Json {}

  record JNull() implements Json {}

  record JArray(List<Json> items) implements Json {
    public JArray {
      items = List.copyOf(items);
    }
  }

  /** Members are kept sorted, so equal objects encode to equal bytes. */
  record JObject(Map<String, Json> members) implements Json {
    public JObject {
      TreeMap<String, Json> sorted = new TreeMap<>();
      members.forEach(
          (k, v) -> {
            if (k == null || v == null) throw new IllegalArgumentException("null member in JSON object");
            sorted.put(k, v);
          });
      members = Collections.unmodifiableSortedMap(sorted);
    }

    /** A required member; the message names the member so a user can fix the document. */
    public Json get(String name) {
      Json v = members.get(name);
      if (v == null) throw new MalformedInputException("missing field '" + name + "'");
      return v;
    }

    public boolean has(String name) {
      Json v = members.get(name);
      return v != null && !(v instanceof JNull);
    }

    public String string(String name) {
      if (get(name) instanceof JString s) return s.value();
      throw new MalformedInputException("field '" + name + "' must be a string");
    }

    public String string(String name, String fallback) {
      return has(name) ? string(name) : fallback;
    }

    public long number(String name) {
      if (get(name) instanceof JNumber n) return n.longValue();
      throw new MalformedInputException("field '" + name + "' must be a whole number");
    }

    public long number(String name, long fallback) {
      return has(name) ? number(name) : fallback;
    }

    public BigDecimal decimal(String name) {
      if (get(name) instanceof JNumber n) return n.value();
      throw new MalformedInputException("field '" + name + "' must be a number");
    }

    public boolean bool(String name) {
      if (get(name) instanceof JBool b) return b.value();
      throw new MalformedInputException("field '" + name + "' must be true or false");
    }

    public boolean bool(String name, boolean fallback) {
      return has(name) ? bool(name) : fallback;
    }

    public JObject object(String name) {
      if (get(name) instanceof JObject o) return o;
      throw new MalformedInputException("field '" + name + "' must be an object");
    }

    public List<Json> array(String name) {
      if (get(name) instanceof JArray a) return a.items();
      throw new MalformedInputException("field '" + name + "' must be an array");
    }

    public List<String> strings(String name) {
      List<String> out = new ArrayList<>();
      for (Json j : array(name)) {
        if (!(j instanceof JString s)) throw new MalformedInputException("field '" + name + "' must be an array of strings");
        out.add(s.value());
      }
      return out;
    }

    public List<JObject> objects(String name) {
      List<JObject> out = new ArrayList<>();
      for (Json j : array(name)) {
        if (!(j instanceof JObject o)) throw new MalformedInputException("field '" + name + "' must be an array of objects");
        out.add(o);
      }
      return out;
    }
  }

  JNull NULL = new JNull();

  static JString of(String s) {
    return new JString(s);
  }

  static JNumber of(long n) {
    return new JNumber(BigDecimal.valueOf(n));
  }

  static JBool of(boolean b) {
    return new JBool(b);
  }

  /**
   * Builds an object from alternating names and values. Values may be {@link Json}, String, Number, Boolean,
   * a List or Map of those, or null (written as JSON null).
   */
  static JObject obj(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("obj() takes name/value pairs");
    Map<String, Json> m = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], from(namesAndValues[i + 1]));
    }
    return new JObject(m);
  }

  static JArray arr(List<?> items) {
    List<Json> out = new ArrayList<>(items.size());
    for (Object o : items) out.add(from(o));
    return new JArray(out);
  }

  /** Converts a plain Java value to JSON; records and other objects are written through {@code toString()}. */
  static Json from(Object o) {
    return switch (o) {
      case null -> NULL;
      case Json j -> j;
      case String s -> new JString(s);
      case Boolean b -> new JBool(b);
      case Integer i -> of(i.longValue());
      case Long l -> of(l);
      case BigDecimal d -> new JNumber(d);
      case BigInteger b -> new JNumber(new BigDecimal(b));
      case Double d -> {
        if (d.isNaN() || d.isInfinite()) throw new IllegalArgumentException("JSON cannot hold " + d);
        yield new JNumber(new BigDecimal(Double.toString(d)));
      }
      case List<?> l -> arr(l);
      case Map<?, ?> m -> {
        Map<String, Json> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), from(v)));
        yield new JObject(out);
      }
      default -> new JString(o.toString());
    };
  }

  /** The canonical encoding as UTF-8 bytes: what gets hashed and signed. */
  default byte[] canonicalBytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical encoding as text. */
  default String encode() {
    StringBuilder sb = new StringBuilder();
    JsonText.write(this, sb);
    return sb.toString();
  }

  static Json parse(String text) {
    return JsonText.parse(text);
  }

  static Json parse(byte[] utf8) {
    return JsonText.parse(new String(utf8, StandardCharsets.UTF_8));
  }

  /** Parses text that must hold a JSON object. */
  static JObject parseObject(String text) {
    if (parse(text) instanceof JObject o) return o;
    throw new MalformedInputException("expected a JSON object");
  }

  static JObject parseObject(byte[] utf8) {
    return parseObject(new String(utf8, StandardCharsets.UTF_8));
  }
}
