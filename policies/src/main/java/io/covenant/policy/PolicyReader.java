package io.covenant.policy;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Reads one object of a policy document; every error names the field's full path (e.g. {@code tee.measurements[1]}). */
final class PolicyReader {
  private final Json.JObject object;
  private final String path;

  PolicyReader(Json.JObject object, String path) {
    this.object = object;
    this.path = path;
  }

  String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static MalformedInputException error(String field, String what) {
    return new MalformedInputException("policy field '" + field + "' " + what);
  }

  /** Rejects members this version of the language does not define, so a misspelt rule is never silently ignored. */
  void allowOnly(Set<String> known) {
    for (String name : object.members().keySet()) {
      if (!known.contains(name)) {
        throw error(path(name), "is not part of policy language v1; the fields allowed here are " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  boolean has(String name) {
    return object.has(name);
  }

  Json required(String name) {
    Json v = object.members().get(name);
    if (v == null || v instanceof Json.JNull) throw error(path(name), "is missing");
    return v;
  }

  String string(String name) {
    if (required(name) instanceof Json.JString s) return s.value();
    throw error(path(name), "must be a string");
  }

  boolean bool(String name, boolean fallback) {
    if (!has(name)) return fallback;
    if (required(name) instanceof Json.JBool b) return b.value();
    throw error(path(name), "must be true or false");
  }

  long whole(String name) {
    if (required(name) instanceof Json.JNumber n) {
      try {
        return n.value().longValueExact();
      } catch (ArithmeticException e) {
        throw error(path(name), "must be a whole number, got " + n.value());
      }
    }
    throw error(path(name), "must be a whole number");
  }

  BigDecimal number(String name) {
    if (required(name) instanceof Json.JNumber n) return n.value();
    throw error(path(name), "must be a number");
  }

  PolicyReader object(String name) {
    if (required(name) instanceof Json.JObject o) return new PolicyReader(o, path(name));
    throw error(path(name), "must be an object");
  }

  Json.JObject raw() {
    return object;
  }

  /** An array of strings, each converted; a conversion error names the element, e.g. {@code assignees[2]}. */
  <T> List<T> list(String name, Function<String, T> convert) {
    if (!(required(name) instanceof Json.JArray a)) throw error(path(name), "must be an array of strings");
    List<T> out = new ArrayList<>();
    for (int i = 0; i < a.items().size(); i++) {
      String element = path(name) + "[" + i + "]";
      if (!(a.items().get(i) instanceof Json.JString s)) throw error(element, "must be a string");
      out.add(convert(element, s.value(), convert));
    }
    return out;
  }

  /** Converts a value with a core constructor, re-wording its error to name the policy field. */
  static <T> T convert(String field, String value, Function<String, T> convert) {
    try {
      return convert.apply(value);
    } catch (MalformedInputException e) {
      throw error(field, "is not valid: " + e.getMessage());
    }
  }
}
