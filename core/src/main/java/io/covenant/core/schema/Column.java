package io.covenant.core.schema;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.regex.Pattern;

/** One column of a dataset: name, type and how sensitive it is. */
public record Column(String name, ColumnType type, Sensitivity sensitivity) {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public Column {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new MalformedInputException("column name '" + name + "' is not valid: use lower-case letters, digits and '_', starting with a letter");
    }
    if (type == null || sensitivity == null) throw new MalformedInputException("column '" + name + "' needs a type and a sensitivity");
  }

  public Json.JObject toJson() {
    return Json.obj("name", name, "type", type.wireName(), "sensitivity", sensitivity.wireName());
  }

  public static Column fromJson(Json.JObject o) {
    return new Column(o.string("name"), ColumnType.parse(o.string("type")), Sensitivity.parse(o.string("sensitivity")));
  }
}
