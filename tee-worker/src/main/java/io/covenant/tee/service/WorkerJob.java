package io.covenant.tee.service;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the coordinator hands a TEE worker in another process: the job, the consumer's key, and for each input where
 * its sealed blocks are (the manifest), the owner's key, the address of the owner's node (the worker asks it for the
 * key itself), and the policy text the job was authorised under. Nothing secret: the worker checks the manifest
 * against the owner's key, the owner's node decides on the key, and the enclave refuses a policy text that is not the
 * one the owner released under. {@code authorisation} is where the coordinator says the job's JOB_AUTHORIZED stands
 * on the ledger: the worker derives its attestation nonces from it, and each owner checks it against its own copy.
 * {@code stapledLog} is the log update the coordinator staples to the job (its signed checkpoint after
 * COMPUTATION_STARTED and the latest entries), which the worker forwards untouched with each key request so that
 * owners' nodes need not ask the coordinator for it; untrusted, each node verifies it. {@code carriedBlocks} are the
 * inputs' manifests, sent along so that the worker need not fetch them; each is verified against its CID when read.
 */
public record WorkerJob(JobRequest request, HpkePublicKey consumerKey, List<Input> inputs, java.util.Optional<AuthorisationEntry> authorisation,
    java.util.Optional<Json.JObject> stapledLog, java.util.Map<Cid, byte[]> carriedBlocks) {
  /** A job without its authorisation entry, a stapled log or carried blocks, as coordinators built before them sent it. */
  /** The consortium's crypto suite, read from the consumer's sealing key (X25519: international, SM2: national). */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return consumerKey.suite();
  }

  public WorkerJob(JobRequest request, HpkePublicKey consumerKey, List<Input> inputs) {
    this(request, consumerKey, inputs, java.util.Optional.empty(), java.util.Optional.empty(), java.util.Map.of());
  }

  public record Input(DatasetVersion version, Cid manifestCid, VerifyingKey ownerKey, URI ownerNode, String policyJson) {
    public Input {
      if (version == null || manifestCid == null || ownerKey == null || ownerNode == null || policyJson == null) {
        throw new MalformedInputException("a worker input needs its dataset version, manifest, owner key, owner node and policy");
      }
    }

    public OrgId owner() {
      return version.owner();
    }

    Json.JObject toJson() {
      return Json.obj("version", version.toString(), "manifestCid", manifestCid.toString(), "ownerKey", ownerKey.hex(), "ownerNode", ownerNode.toString(),
          "policy", policyJson);
    }

    static Input fromJson(Json.JObject o) {
      URI node;
      try {
        node = URI.create(o.string("ownerNode"));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("ownerNode '" + o.string("ownerNode") + "' is not a URI");
      }
      return new Input(DatasetVersion.parse(o.string("version")), Cid.parse(o.string("manifestCid")), VerifyingKey.parse(o.string("ownerKey")), node,
          o.string("policy"));
    }
  }

  public WorkerJob {
    if (request == null || consumerKey == null || inputs == null) {
      throw new MalformedInputException("a worker job needs its request, the consumer's key and its inputs");
    }
    inputs = List.copyOf(inputs);
    authorisation = authorisation == null ? java.util.Optional.empty() : authorisation;
    stapledLog = stapledLog == null ? java.util.Optional.empty() : stapledLog;
    carriedBlocks = carriedBlocks == null ? java.util.Map.of() : java.util.Map.copyOf(carriedBlocks);
  }

  public Json.JObject toJson() {
    return Json.obj("request", request.toJson(), "consumerKey", consumerKey.hex(), "inputs", inputs.stream().map(Input::toJson).toList(),
        "authorisation", authorisation.map(AuthorisationEntry::toJson).orElse(null), "log", stapledLog.orElse(null),
        "blocks", carriedBlocks.isEmpty() ? null : blocksJson(carriedBlocks));
  }

  private static Json.JObject blocksJson(java.util.Map<Cid, byte[]> blocks) {
    java.util.Map<String, Json> members = new java.util.TreeMap<>();
    blocks.forEach((cid, b) -> members.put(cid.toString(), Json.from(java.util.Base64.getEncoder().encodeToString(b))));
    return new Json.JObject(members);
  }

  private static java.util.Map<Cid, byte[]> blocksOf(Json.JObject o) {
    if (!o.has("blocks")) return java.util.Map.of();
    java.util.Map<Cid, byte[]> out = new java.util.HashMap<>();
    for (var e : o.object("blocks").members().entrySet()) {
      if (!(e.getValue() instanceof Json.JString s)) throw new MalformedInputException("a worker job's carried block " + e.getKey() + " must be base64 text");
      try {
        out.put(Cid.parse(e.getKey()), java.util.Base64.getDecoder().decode(s.value()));
      } catch (IllegalArgumentException bad) {
        throw new MalformedInputException("a worker job's carried block " + e.getKey() + " is not base64");
      }
    }
    return out;
  }

  public static WorkerJob fromJson(Json.JObject o) {
    List<Input> inputs = new ArrayList<>();
    for (Json j : o.array("inputs")) {
      if (!(j instanceof Json.JObject io)) throw new MalformedInputException("each input of a worker job is an object");
      inputs.add(Input.fromJson(io));
    }
    Json log = o.members().get("log");
    if (log != null && !(log instanceof Json.JObject) && !(log instanceof Json.JNull)) throw new MalformedInputException("a worker job's \"log\" must be a log update object");
    return new WorkerJob(JobRequest.fromJson(o.object("request")), HpkePublicKey.parse(o.string("consumerKey")), inputs,
        o.has("authorisation") ? java.util.Optional.of(AuthorisationEntry.fromJson(o.object("authorisation"))) : java.util.Optional.empty(),
        log instanceof Json.JObject l ? java.util.Optional.of(l) : java.util.Optional.empty(), blocksOf(o));
  }
}
