package io.covenant.coordinator.job;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.job.JobRequest;
import java.time.Instant;

/**
 * A job as its consumer hands it over: the request and the JOB_SUBMITTED event the consumer signed for it. This is the
 * body of {@code POST /api/jobs}, what {@code ./covenant sign job} prints and what the Java client sends; signing
 * happens on the consumer's side, with its own key, so the coordinator never holds it.
 */
public record SignedSubmission(JobRequest request, SignedEvent submission) {

  public SignedSubmission {
    if (request == null || submission == null) throw new MalformedInputException("a job submission needs its request and its signed JOB_SUBMITTED");
  }

  /** Signs {@code request} as its consumer. The credentials must be the consumer's own. */
  public static SignedSubmission sign(JobRequest request, OrgCredentials consumer, Instant at) {
    if (!consumer.org().equals(request.consumer())) {
      throw new MalformedInputException("job " + request.id() + " names " + request.consumer() + " as its consumer; only "
          + request.consumer() + " may sign it, not " + consumer.org());
    }
    AuditEvent.JobSubmitted event = new AuditEvent.JobSubmitted(
        request.id(), request.consumer(), request.datasets(), request.engine(), request.purpose(), request.computation().hash(consumer.signingKey().suite()));
    return new SignedSubmission(request, SignedEvent.sign(event, consumer.org(), consumer.signingKey(), at));
  }

  public Json.JObject toJson() {
    return Json.obj("request", request.toJson(), "submission", submission.toJson());
  }

  public static SignedSubmission fromJson(Json.JObject o) {
    if (!o.has("request") || !o.has("submission")) {
      throw new MalformedInputException("a job submission is {\"request\": ..., \"submission\": ...}; make one with './covenant sign job FILE'");
    }
    return new SignedSubmission(JobRequest.fromJson(o.object("request")), SignedEvent.fromJson(o.object("submission")));
  }
}
