package io.covenant.coordinator.deployment;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a coordinator that holds no keys finds the other processes: the TEE worker, and each data owner's node. The
 * supervisor ({@code ./covenant up}, {@code ./covenant demo}) writes it; {@code ./covenant serve --topology FILE}
 * reads it. Addresses only: every process proves who it is with its consortium certificate.
 */
public record ProcessTopology(URI worker, Map<OrgId, URI> nodes) {
  /**
   * The topology of a deployment being enrolled before its processes start: nothing is dispatched yet, and opening the
   * coordinator's folder with it creates no simulation key or other secret of the worker's there.
   */
  public static final ProcessTopology NOT_YET_STARTED = new ProcessTopology(URI.create("https://not-yet-started.invalid/"), Map.of());

  public ProcessTopology {
    if (worker == null || nodes == null) throw new MalformedInputException("a process topology names the worker and the owners' nodes");
    nodes = Map.copyOf(nodes);
  }

  public Json.JObject toJson() {
    Map<String, Object> n = new LinkedHashMap<>();
    nodes.forEach((org, uri) -> n.put(org.value(), uri.toString()));
    return Json.obj("worker", worker.toString(), "nodes", n);
  }

  public static ProcessTopology fromJson(Json.JObject o) {
    Map<OrgId, URI> nodes = new LinkedHashMap<>();
    o.object("nodes").members().forEach((org, uri) -> nodes.put(OrgId.of(org), uri(((Json.JString) uri).value())));
    return new ProcessTopology(uri(o.string("worker")), nodes);
  }

  private static URI uri(String s) {
    try {
      URI u = URI.create(s);
      if (!"https".equals(u.getScheme())) throw new MalformedInputException("address '" + s + "' is not https: the consortium's processes speak mutual TLS only");
      return u;
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("address '" + s + "' is not a URI");
    }
  }

  public void write(Path file) {
    try {
      Files.writeString(file, toJson().encode(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CovenantException("cannot write the topology " + file + ": " + e.getMessage(), e);
    }
  }

  public static ProcessTopology read(Path file) {
    try {
      return fromJson(Json.parseObject(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new CovenantException("cannot read the topology " + file + ": " + e.getMessage() + "; check --topology", e);
    } catch (MalformedInputException | ClassCastException e) {
      throw new MalformedInputException(file + " is not a process topology (" + e.getMessage() + ")");
    }
  }
}
