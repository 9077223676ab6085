package io.covenant.core.event;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * An event as its actor signed it. The signed statement is the canonical JSON of
 * {@code {"actor","at","body","type","v"}}; the ledger adds sequence numbers and proofs around it but never
 * changes it, so the actor's signature holds from the moment of signing to any later audit.
 */
public record SignedEvent(AuditEvent event, OrgId actor, Instant issuedAt, Signature signature) {

  public SignedEvent {
    if (event == null || actor == null || issuedAt == null || signature == null) {
      throw new MalformedInputException("a signed event needs an event, an actor, a time and a signature");
    }
  }

  public static SignedEvent sign(AuditEvent event, OrgId actor, SigningKey key, Instant at) {
    Instant t = at.truncatedTo(ChronoUnit.MILLIS);
    return new SignedEvent(event, actor, t, key.sign(statement(event, actor, t).canonicalBytes()));
  }

  public static Json.JObject statement(AuditEvent event, OrgId actor, Instant at) {
    return Json.obj("type", event.type().name(), "v", event.version(), "actor", actor.value(), "at", at.toString(), "body", event.body());
  }

  public Json.JObject statement() {
    return statement(event, actor, issuedAt);
  }

  public boolean verifiedBy(VerifyingKey key) {
    return key.verify(statement().canonicalBytes(), signature);
  }

  public Json.JObject toJson() {
    return Json.obj("statement", statement(), "sig", signature.hex());
  }

  public static SignedEvent fromJson(Json.JObject o) {
    Json.JObject st = o.object("statement");
    Instant at;
    try {
      at = Instant.parse(st.string("at"));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("event time '" + st.string("at") + "' is not an ISO-8601 instant");
    }
    AuditEvent ev = AuditEvent.decode(EventType.parse(st.string("type")), (int) st.number("v"), st.object("body"));
    return new SignedEvent(ev, new OrgId(st.string("actor")), at, Signature.parse(o.string("sig")));
  }
}
