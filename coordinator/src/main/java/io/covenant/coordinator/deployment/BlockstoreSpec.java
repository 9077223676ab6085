package io.covenant.coordinator.deployment;

import io.covenant.core.error.MalformedInputException;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.blockstore.ReplicatedBlockstore;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where blocks live, as an operator writes it: {@code local} (the data directory's {@code blocks/}, the default),
 * {@code ipfs=http://127.0.0.1:5001} (a Kubo-compatible node or an IPFS Cluster proxy), or
 * {@code replicated=local,ipfs=URL[,ipfs=URL...]} (written to every store, succeeding when at least two, or all if
 * fewer, took it; read from the first verified copy, repairing the others).
 */
public record BlockstoreSpec(String text) {
  public static final BlockstoreSpec LOCAL = new BlockstoreSpec("local");

  public BlockstoreSpec {
    if (text == null || text.isBlank()) throw new MalformedInputException("a blockstore spec is empty; use local, ipfs=URL or replicated=local,ipfs=URL");
    open(text, Path.of("."), true);
  }

  public Blockstore open(Path dataDir) {
    return open(text, dataDir, false);
  }

  private static Blockstore open(String spec, Path dataDir, boolean checkOnly) {
    if (spec.equals("local")) return checkOnly ? null : new LocalBlockstore(dataDir.resolve("blocks"));
    if (spec.startsWith("ipfs=")) {
      URI uri;
      try {
        uri = URI.create(spec.substring(5));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("blockstore '" + spec + "': '" + spec.substring(5) + "' is not a URL");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new MalformedInputException("blockstore '" + spec + "': the IPFS API URL must be http or https, e.g. ipfs=http://127.0.0.1:5001");
      }
      return checkOnly ? null : IpfsBlockstore.at(uri);
    }
    if (spec.startsWith("replicated=")) {
      String[] parts = spec.substring(11).split(",");
      if (parts.length < 2) throw new MalformedInputException("blockstore '" + spec + "': replicated needs at least two stores, e.g. replicated=local,ipfs=URL");
      List<Blockstore> stores = new ArrayList<>();
      for (String p : parts) {
        if (p.startsWith("replicated=")) throw new MalformedInputException("blockstore '" + spec + "': replicated stores do not nest");
        Blockstore b = open(p.trim(), dataDir, checkOnly);
        if (!checkOnly) stores.add(b);
      }
      return checkOnly ? null : new ReplicatedBlockstore(stores, Math.min(2, stores.size()));
    }
    throw new MalformedInputException("blockstore '" + spec + "' is not known: use local, ipfs=URL or replicated=local,ipfs=URL[,...]");
  }

  @Override
  public String toString() {
    return text;
  }
}
