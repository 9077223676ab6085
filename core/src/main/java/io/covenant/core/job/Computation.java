package io.covenant.core.job;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;

/** What a consumer asks to be computed. Only its hash goes on the ledger. */
public sealed interface Computation {

  /** A SQL aggregate query over the job's datasets, each visible as a table named after the dataset. */
  record SqlQuery(String sql) implements Computation {
    public SqlQuery {
      if (sql == null || sql.isBlank()) throw new MalformedInputException("the SQL query is empty");
    }

    @Override
    public Json.JObject toJson() {
      return Json.obj("kind", "sql", "sql", sql);
    }
  }

  Json.JObject toJson();

  default Digest hash() {
    return Digest.sha256(toJson().canonicalBytes());
  }

  static Computation fromJson(Json.JObject o) {
    return switch (o.string("kind")) {
      case "sql" -> new SqlQuery(o.string("sql"));
      default -> throw new MalformedInputException("computation kind '" + o.string("kind") + "' is not known: use sql");
    };
  }
}
