package io.covenant.storage.telemetry;

import io.covenant.core.codec.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the maker's ingest remembers between batches, per device: the last sequence number and trip end it accepted.
 * A later record at or below that sequence is a replay; one that starts before the last accepted trip ended is out of
 * order. Immutable: an accepted batch yields the next state, which the caller keeps only once the batch is stored.
 */
public final class IngestState {
  /** The last record accepted from one device. */
  public record Last(long sequence, long end) {}

  private final Map<String, Last> last;

  private IngestState(Map<String, Last> last) {
    this.last = Map.copyOf(last);
  }

  public static IngestState empty() {
    return new IngestState(Map.of());
  }

  public Optional<Last> last(String device) {
    return Optional.ofNullable(last.get(device));
  }

  IngestState with(Map<String, Last> updates) {
    Map<String, Last> m = new HashMap<>(last);
    m.putAll(updates);
    return new IngestState(m);
  }

  public int devices() {
    return last.size();
  }

  public Json.JObject toJson() {
    List<Json.JObject> items = last.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> Json.obj("device", e.getKey(), "seq", e.getValue().sequence(), "end", e.getValue().end())).toList();
    return Json.obj("covenantIngestState", 1, "devices", items);
  }

  public static IngestState fromJson(Json.JObject o) {
    Map<String, Last> m = new HashMap<>();
    for (Json.JObject d : o.objects("devices")) m.put(d.string("device"), new Last(d.number("seq"), d.number("end")));
    return new IngestState(m);
  }
}
