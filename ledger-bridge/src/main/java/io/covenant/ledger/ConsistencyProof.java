package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.merkle.MerkleProofs;
import java.util.List;

/** RFC 9162 section 2.1.4 consistency proof: the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize} leaves. */
public record ConsistencyProof(long oldSize, long newSize, List<Digest> path, CryptoSuite suite) {
  public ConsistencyProof {
    if (path == null) throw new MalformedInputException("a consistency proof needs a path (possibly empty)");
    path = List.copyOf(path);
    if (suite == null) throw new MalformedInputException("a proof needs the crypto suite its tree is hashed with");
  }

  /** A proof over a tree hashed with SHA-256 (the international suite). */
  public ConsistencyProof(long oldSize, long newSize, List<Digest> path) {
    this(oldSize, newSize, path, CryptoSuite.INTL);
  }

  /** RFC 9162 section 2.1.4.2: true if the tree with root {@code oldRoot} is a prefix of the tree with root {@code newRoot}. */
  public boolean verify(Digest oldRoot, Digest newRoot) {
    return MerkleProofs.verifyConsistency(suite, oldSize, newSize, oldRoot, newRoot, path);
  }

  public Json.JObject toJson() {
    if (suite.isNational()) return Json.obj("oldSize", oldSize, "newSize", newSize, "path", path.stream().map(Digest::hex).toList(), "suite", suite.id());
    return Json.obj("oldSize", oldSize, "newSize", newSize, "path", path.stream().map(Digest::hex).toList());
  }

  public static ConsistencyProof fromJson(Json.JObject o) {
    return new ConsistencyProof(o.number("oldSize"), o.number("newSize"), o.strings("path").stream().map(Digest::parse).toList(),
        o.has("suite") ? CryptoSuite.parse(o.string("suite")) : CryptoSuite.INTL);
  }
}
