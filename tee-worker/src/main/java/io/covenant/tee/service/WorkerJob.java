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
 * owners' nodes need not ask the coordinator for it; untrusted, each node verifies it.
 */
public record WorkerJob(JobRequest request, HpkePublicKey consumerKey, List<Input> inputs, java.util.Optional<AuthorisationEntry> authorisation,
    java.util.Optional<Json.JObject> stapledLog) {
  /** A job without its authorisation entry or a stapled log, as coordinators built before nonce-bound freshness sent it. */
  public WorkerJob(JobRequest request, HpkePublicKey consumerKey, List<Input> inputs) {
    this(request, consumerKey, inputs, java.util.Optional.empty(), java.util.Optional.empty());
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
  }

  public Json.JObject toJson() {
    return Json.obj("request", request.toJson(), "consumerKey", consumerKey.hex(), "inputs", inputs.stream().map(Input::toJson).toList(),
        "authorisation", authorisation.map(AuthorisationEntry::toJson).orElse(null), "log", stapledLog.orElse(null));
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
        log instanceof Json.JObject l ? java.util.Optional.of(l) : java.util.Optional.empty());
  }
}
