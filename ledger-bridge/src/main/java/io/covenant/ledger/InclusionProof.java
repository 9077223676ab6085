package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.merkle.MerkleProofs;
import java.util.List;

/** RFC 9162 section 2.1.3 inclusion proof: the audit path from leaf {@code index} to the root of a tree of {@code treeSize} leaves. */
public record InclusionProof(long index, long treeSize, List<Digest> path) {
  public InclusionProof {
    if (path == null) throw new MalformedInputException("an inclusion proof needs a path (possibly empty)");
    path = List.copyOf(path);
  }

  /** RFC 9162 section 2.1.3.2: true if {@code leafHash} at {@link #index} is in the tree with root {@code rootHash}. */
  public boolean verify(Digest leafHash, Digest rootHash) {
    return MerkleProofs.verifyInclusion(index, treeSize, leafHash, path, rootHash);
  }

  public Json.JObject toJson() {
    return Json.obj("index", index, "treeSize", treeSize, "path", path.stream().map(Digest::hex).toList());
  }

  public static InclusionProof fromJson(Json.JObject o) {
    return new InclusionProof(o.number("index"), o.number("treeSize"), o.strings("path").stream().map(Digest::parse).toList());
  }
}
