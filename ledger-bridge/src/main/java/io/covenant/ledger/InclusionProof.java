package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.merkle.MerkleProofs;
import java.util.List;

/** RFC 9162 section 2.1.3 inclusion proof: the audit path from leaf {@code index} to the root of a tree of {@code treeSize} leaves. */
public record InclusionProof(long index, long treeSize, List<Digest> path, CryptoSuite suite) {
  public InclusionProof {
    if (path == null) throw new MalformedInputException("an inclusion proof needs a path (possibly empty)");
    path = List.copyOf(path);
    if (suite == null) throw new MalformedInputException("a proof needs the crypto suite its tree is hashed with");
  }

  /** A proof over a tree hashed with SHA-256 (the international suite). */
  public InclusionProof(long index, long treeSize, List<Digest> path) {
    this(index, treeSize, path, CryptoSuite.INTL);
  }

  /** RFC 9162 section 2.1.3.2: true if {@code leafHash} at {@link #index} is in the tree with root {@code rootHash}. */
  public boolean verify(Digest leafHash, Digest rootHash) {
    return MerkleProofs.verifyInclusion(suite, index, treeSize, leafHash, path, rootHash);
  }

  public Json.JObject toJson() {
    if (suite.isNational()) return Json.obj("index", index, "treeSize", treeSize, "path", path.stream().map(Digest::hex).toList(), "suite", suite.id());
    return Json.obj("index", index, "treeSize", treeSize, "path", path.stream().map(Digest::hex).toList());
  }

  public static InclusionProof fromJson(Json.JObject o) {
    return new InclusionProof(o.number("index"), o.number("treeSize"), o.strings("path").stream().map(Digest::parse).toList(),
        o.has("suite") ? CryptoSuite.parse(o.string("suite")) : CryptoSuite.INTL);
  }
}
