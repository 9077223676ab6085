package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A signed checkpoint together with the witnesses' cosignatures on it (the "cosigned checkpoint" of the C2SP
 * tlog-witness model: the log's signature says what the log claims; each witness's says it saw no fork). This is
 * what an auditor saves ({@code ledger checkpoint --out FILE}) and later passes to {@code verify --since FILE}.
 *
 * <p>JSON form: the checkpoint's own fields plus {@code "cosignatures": [...]}.
 */
public record CosignedCheckpoint(SignedCheckpoint checkpoint, List<Cosignature> cosignatures) {

  public CosignedCheckpoint {
    if (checkpoint == null) throw new MalformedInputException("a cosigned checkpoint needs its checkpoint");
    cosignatures = cosignatures == null ? List.of() : List.copyOf(cosignatures);
  }

  /** This checkpoint with {@code more} cosignatures added (a witness that already cosigned is replaced). */
  public CosignedCheckpoint with(List<Cosignature> more) {
    List<Cosignature> all = new ArrayList<>(cosignatures);
    for (Cosignature c : more) {
      all.removeIf(old -> old.witness().equals(c.witness()));
      all.add(c);
    }
    return new CosignedCheckpoint(checkpoint, all);
  }

  /** The cosignature by {@code witness}, if it cosigned. */
  public Optional<Cosignature> by(String witness) {
    return cosignatures.stream().filter(c -> c.witness().equals(witness)).findFirst();
  }

  public Json.JObject toJson() {
    java.util.Map<String, Json> members = new java.util.HashMap<>(checkpoint.toJson().members());
    members.put("cosignatures", Json.arr(cosignatures.stream().map(Cosignature::toJson).toList()));
    return new Json.JObject(members);
  }

  /** True if {@code o} is the JSON of a checkpoint line that carries cosignatures. */
  public static boolean isCosigned(Json.JObject o) {
    return o.has("cosignatures");
  }

  public static CosignedCheckpoint fromJson(Json.JObject o) {
    List<Cosignature> cos = o.has("cosignatures") ? o.objects("cosignatures").stream().map(Cosignature::fromJson).toList() : List.of();
    return new CosignedCheckpoint(SignedCheckpoint.fromJson(o), cos);
  }
}
