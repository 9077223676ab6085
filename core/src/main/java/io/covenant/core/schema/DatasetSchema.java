package io.covenant.core.schema;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The ordered columns of a dataset. Published in the manifest; holds no values. */
public record DatasetSchema(List<Column> columns) {
  public DatasetSchema {
    if (columns == null || columns.isEmpty()) throw new MalformedInputException("a dataset needs at least one column");
    columns = List.copyOf(columns);
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name())) throw new MalformedInputException("column '" + c.name() + "' appears twice in the schema");
    }
  }

  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  public Json.JArray toJson() {
    return Json.arr(columns.stream().map(Column::toJson).toList());
  }

  public static DatasetSchema fromJson(List<Json> items) {
    return new DatasetSchema(
        items.stream()
            .map(j -> j instanceof Json.JObject o ? Column.fromJson(o) : failColumn())
            .toList());
  }

  private static Column failColumn() {
    throw new MalformedInputException("each schema column must be an object with name, type and sensitivity");
  }
}
