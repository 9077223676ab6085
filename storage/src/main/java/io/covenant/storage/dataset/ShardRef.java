package io.covenant.storage.dataset;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;

/** A manifest's entry for one sealed shard: its position, its block, how many rows and sealed bytes it holds. */
public record ShardRef(int index, Cid cid, long rows, long sealedBytes) {
  public ShardRef {
    if (index < 0) throw new MalformedInputException("shard index must be 0 or more, got " + index);
    if (cid == null) throw new MalformedInputException("shard " + index + " needs a CID");
    if (cid.codec() != Cid.RAW) throw new MalformedInputException("shard " + index + " CID " + cid + " must be a raw block (codec 0x55)");
    if (rows < 1) throw new MalformedInputException("shard " + index + " must hold at least one row, got " + rows);
    if (sealedBytes < 1 || sealedBytes > DatasetPublisher.MAX_SEALED_SHARD_BYTES) {
      throw new MalformedInputException("shard " + index + " has " + sealedBytes + " sealed bytes; shards hold 1 to "
          + DatasetPublisher.MAX_SEALED_SHARD_BYTES);
    }
  }

  /** The manifest entry; the CID is an IPLD link {@code {"/": "<cid>"}} so IPFS tools can walk the dataset. */
  Json.JObject toJson() {
    return Json.obj("index", index, "cid", Json.obj("/", cid.toString()), "rows", rows, "sealedBytes", sealedBytes);
  }

  static ShardRef fromJson(Json.JObject o) {
    long index = o.number("index");
    if (index < 0 || index > Integer.MAX_VALUE) throw new MalformedInputException("shard index " + index + " is out of range");
    return new ShardRef((int) index, Cid.parse(o.object("cid").string("/")), o.number("rows"), o.number("sealedBytes"));
  }
}
