package io.covenant.ledger.mirror;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.SignedCheckpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's ledger API as a {@link LedgerSource}: {@code GET /api/ledger/checkpoint}, {@code GET
 * /api/ledger/entries?from=&to=}, {@code GET /api/ledger/update?from=} (both at once), {@code POST /api/ledger/events} and {@code POST /api/ledger/events/batch}. The client is the caller's (with the
 * organisation's mutual-TLS context in a deployment).
 */
public final class HttpLedgerSource implements LedgerSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http;
  private final URI api;

  /** {@code api} is the coordinator's API root, e.g. {@code https://coordinator:8443/api}. */
  public HttpLedgerSource(HttpClient http, URI api) {
    this.http = http;
    String s = api.toString();
    this.api = URI.create(s.endsWith("/") ? s : s + "/");
  }

  @Override
  public SignedCheckpoint checkpoint() {
    return SignedCheckpoint.fromJson(Json.parseObject(get("ledger/checkpoint")).object("checkpoint"));
  }

  @Override
  public List<LedgerEntry> entries(long from, long to) {
    List<LedgerEntry> out = new ArrayList<>();
    Json body = Json.parse(get("ledger/entries?from=" + from + "&to=" + to));
    if (!(body instanceof Json.JArray array)) throw new CovenantException(describe() + " answered the entries request with something other than a list");
    for (Json v : array.items()) {
      if (!(v instanceof Json.JObject o)) throw new CovenantException(describe() + " returned a ledger entry that is not an object");
      out.add(LedgerEntry.fromJson(o));
    }
    return out;
  }

  /** {@code GET /api/ledger/update?from=}: the checkpoint and the entries from {@code from} in one round trip. */
  @Override
  public LogUpdate since(long from) {
    return LogUpdate.fromJson(Json.parseObject(get("ledger/update?from=" + from)));
  }

  @Override
  public LedgerEntry append(SignedEvent event) {
    HttpRequest req = HttpRequest.newBuilder(api.resolve("ledger/events")).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event.toJson().encode())).build();
    HttpResponse<String> r = send(req);
    if (r.statusCode() == 422 || r.statusCode() == 400) {
      throw new LedgerRejectedException(describe() + " refused " + event.actor() + "'s " + event.event().type() + ": " + errorOf(r));
    }
    if (r.statusCode() / 100 != 2) throw new CovenantException(describe() + " answered " + r.statusCode() + " to an append: " + errorOf(r));
    return LedgerEntry.fromJson(Json.parseObject(r.body()));
  }

  /**
   * {@code POST /api/ledger/events/batch}: the events appended as one batch (all or none); the answer carries the
   * entries and the signed checkpoint that covers them.
   */
  @Override
  public LogUpdate appendAll(List<SignedEvent> events) {
    return appendAll(events, -1);
  }

  /** As above with {@code ?from=held}: the answer also carries the entries from {@code held} on (when {@code held >= 0}). */
  @Override
  public LogUpdate appendAll(List<SignedEvent> events, long held) {
    String body = Json.obj("events", Json.arr(events.stream().map(SignedEvent::toJson).toList())).encode();
    HttpRequest req = HttpRequest.newBuilder(api.resolve(held >= 0 ? "ledger/events/batch?from=" + held : "ledger/events/batch")).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r = send(req);
    String what = events.stream().map(e -> e.actor() + "'s " + e.event().type()).distinct().toList().toString();
    if (r.statusCode() == 422 || r.statusCode() == 400) throw new LedgerRejectedException(describe() + " refused the batch " + what + ": " + errorOf(r));
    if (r.statusCode() / 100 != 2) throw new CovenantException(describe() + " answered " + r.statusCode() + " to the batch append " + what + ": " + errorOf(r));
    try {
      return LogUpdate.fromJson(Json.parseObject(r.body()));
    } catch (io.covenant.core.error.MalformedInputException e) {
      throw new CovenantException(describe() + " answered the batch append " + what + " with a log update that does not parse: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "the coordinator at " + api;
  }

  private String get(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).GET().build());
    if (r.statusCode() != 200) throw new CovenantException(describe() + " answered " + r.statusCode() + " to GET " + path + ": " + errorOf(r));
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CovenantException(describe() + " could not be reached (" + e.getMessage() + "): start the coordinator, or check its address", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while talking to " + describe(), e);
    }
  }

  private static String errorOf(HttpResponse<String> r) {
    try {
      return Json.parseObject(r.body()).string("error");
    } catch (RuntimeException e) {
      return r.body().length() > 200 ? r.body().substring(0, 200) + "…" : r.body();
    }
  }
}
