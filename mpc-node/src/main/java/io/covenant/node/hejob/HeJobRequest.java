package io.covenant.node.hejob;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.job.JobRequest;
import java.util.Base64;
import java.util.List;

/**
 * What the coordinator asks of a node for a homomorphic-encryption job ({@code engine=he}), one call per step, each
 * with the job as submitted and its input policies' texts (the node believes neither without its ledger):
 * {@link #CONSUMER_KEYS} at the consumer's node (make a key for the job; answer the encrypted model or the public key),
 * {@link #OWNER_SCORE} and {@link #OWNER_AGGREGATE} at an owner's node, with the consumer's message in {@code message}.
 */
public record HeJobRequest(JobRequest job, List<String> policies, byte[] message) {
  public static final String CONSUMER_KEYS = "/v1/he-jobs/consumer-keys";
  public static final String OWNER_SCORE = "/v1/he-jobs/score";
  public static final String OWNER_AGGREGATE = "/v1/he-jobs/aggregate";

  public HeJobRequest {
    if (job == null || policies == null) throw new MalformedInputException("an he job step needs the job and its policies");
    policies = List.copyOf(policies);
    message = message == null ? new byte[0] : message.clone();
  }

  @Override
  public byte[] message() {
    return message.clone();
  }

  public Json.JObject toJson() {
    return Json.obj("job", job.toJson(), "policies", policies, "message", Base64.getEncoder().encodeToString(message));
  }

  public static HeJobRequest fromJson(Json.JObject o) {
    try {
      return new HeJobRequest(JobRequest.fromJson(o.object("job")), o.strings("policies"), Base64.getDecoder().decode(o.string("message", "")));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("the he job step's message is not base64");
    }
  }

  /** A node's answer: the message it made (SEAL bytes inside) and the SHA-256 it recorded on the ledger for it. */
  public static Json.JObject answer(byte[] message, io.covenant.core.crypto.Digest recorded, long rows) {
    return Json.obj("message", Base64.getEncoder().encodeToString(message), "digest", recorded.hex(), "rows", rows);
  }
}
