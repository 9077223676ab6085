package io.covenant.policy.consent;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a vehicle's owner says about the use of its vehicle's data in one of the maker's datasets: a {@link Grant} or
 * a {@link Withdrawal} of an earlier grant. The vehicle is named by its pseudonym (a keyed digest of its VIN, see
 * {@code io.covenant.core.crypto.SubjectKey}), the owner by its public key; both stay in the signed document, which the
 * owner and the maker keep, and only the document's digest goes on the ledger.
 */
public sealed interface OwnerConsent {
  DatasetId dataset();

  String vehicle();

  VerifyingKey owner();

  Json.JObject toJson();

  /**
   * The owner allows {@code consumer} to use the vehicle's records for {@code purpose} from {@code from} (inclusive) to
   * {@code until} (exclusive), under a licence that pays the owners at least {@code priceFloor} minor units of
   * {@code currency} per vehicle-month. {@code nonce} makes the document's digest unguessable from its terms, so the
   * ledger's digest confirms nothing to someone who guesses them.
   */
  record Grant(DatasetId dataset, String vehicle, VerifyingKey owner, OrgId consumer, Purpose purpose, Instant from, Instant until,
      String currency, long priceFloor, String nonce) implements OwnerConsent {
    public Grant {
      if (dataset == null || owner == null || consumer == null || purpose == null || from == null || until == null || currency == null) {
        throw new MalformedInputException("a consent grant names the dataset, the owner's key, the consumer, the purpose, the period and the currency");
      }
      vehicle = pseudonym(vehicle);
      if (!until.isAfter(from)) throw new MalformedInputException("a consent grant's period ends after it starts (" + from + " to " + until + ")");
      if (priceFloor < 0) throw new MalformedInputException("a consent grant's price floor is 0 or more, not " + priceFloor);
      if (nonce == null || !nonce.matches("[0-9a-f]{32}")) throw new MalformedInputException("a consent grant's nonce is 32 lower-case hex digits");
    }

    /** Whether this grant covers {@code consumer} using the data for {@code purpose} at {@code at}. */
    public boolean covers(OrgId consumer, Purpose purpose, Instant at) {
      return this.consumer.equals(consumer) && this.purpose.equals(purpose) && !at.isBefore(from) && at.isBefore(until);
    }

    public Json.JObject toJson() {
      return Json.obj("kind", "grant", "dataset", dataset, "vehicle", vehicle, "owner", owner.hex(), "consumer", consumer, "purpose", purpose,
          "from", from.toString(), "until", until.toString(), "currency", currency, "priceFloor", priceFloor, "nonce", nonce);
    }
  }

  /** The owner withdraws the grant whose signed document has digest {@code grant}, from {@code at} on. */
  record Withdrawal(DatasetId dataset, String vehicle, VerifyingKey owner, Digest grant, Instant at) implements OwnerConsent {
    public Withdrawal {
      if (dataset == null || owner == null || grant == null || at == null) throw new MalformedInputException("a withdrawal names the dataset, the owner's key, the grant and when");
      vehicle = pseudonym(vehicle);
    }

    public Json.JObject toJson() {
      return Json.obj("kind", "withdrawal", "dataset", dataset, "vehicle", vehicle, "owner", owner.hex(), "grant", grant.hex(), "at", at.toString());
    }
  }

  static OwnerConsent fromJson(Json.JObject o) {
    DatasetId dataset = DatasetId.parse(o.string("dataset"));
    VerifyingKey owner = VerifyingKey.parse(o.string("owner"));
    return switch (o.string("kind")) {
      case "grant" -> new Grant(dataset, o.string("vehicle"), owner, new OrgId(o.string("consumer")), new Purpose(o.string("purpose")),
          instant(o, "from"), instant(o, "until"), o.string("currency"), o.number("priceFloor"), o.string("nonce"));
      case "withdrawal" -> new Withdrawal(dataset, o.string("vehicle"), owner, Digest.parse(o.string("grant")), instant(o, "at"));
      default -> throw new MalformedInputException("consent kind '" + o.string("kind") + "' is not known: a consent is a grant or a withdrawal");
    };
  }

  private static Instant instant(Json.JObject o, String name) {
    try {
      return Instant.parse(o.string(name));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("consent field '" + name + "' is not an ISO-8601 instant");
    }
  }

  private static String pseudonym(String vehicle) {
    if (vehicle == null || !vehicle.matches("[0-9a-f]{64}")) {
      throw new MalformedInputException("a consent names the vehicle by its pseudonym (64 lower-case hex digits), never by its VIN");
    }
    return vehicle;
  }
}
