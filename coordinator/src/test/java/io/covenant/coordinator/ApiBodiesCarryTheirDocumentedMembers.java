package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document's body schemas are written as records beside the controller (the controller writes canonical
 * JSON directly); this checks each body the server really returns has exactly the members its schema documents.
 */
class ApiBodiesCarryTheirDocumentedMembers {
  @TempDir Path dir;

  private static Set<String> documented(String schema) throws ClassNotFoundException {
    Class<?> c = Class.forName("io.covenant.coordinator.http.ApiSchemas$" + schema);
    return Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
  }

  private static void same(String schema, Json.JObject body) throws ClassNotFoundException {
    assertEquals(documented(schema), body.members().keySet(), schema + ": " + body.encode());
  }

  @Test
  void everyBodyMatchesItsSchema() throws Exception {
    var versions = new java.util.ArrayList<io.covenant.core.id.DatasetVersion>();
    try (SmallFederation f = new SmallFederation(dir, 200)) {
      versions.addAll(f.versions);
    }
    var insurer = OrgKeystore.openOrCreate(dir.resolve("orgs").resolve(HospitalInsurerDemo.INSURER.value()), HospitalInsurerDemo.INSURER).credentials();
    try (ApiServer api = new ApiServer(dir)) {
      JobRequest request = new JobRequest(JobId.random(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
      SignedSubmission signed = SignedSubmission.sign(request, insurer, Instant.now());
      same("JobSubmission", signed.toJson());
      same("JobRequest", signed.request().toJson());
      same("SignedEventBody", signed.submission().toJson());
      same("Statement", signed.submission().toJson().object("statement"));

      var submitted = api.postJson("/jobs", signed.toJson().encode());
      assertEquals(201, submitted.statusCode(), submitted.body());
      same("JobOutcome", Json.parseObject(submitted.body()));
      same("Job", Json.parseObject(api.get("/jobs/" + request.id()).body()));
      same("Health", Json.parseObject(api.get("/health").body()));
      for (String[] list : new String[][] {{"/jobs?limit=1", "JobPage", "Job"}, {"/datasets?limit=1", "DatasetPage", "Dataset"},
          {"/policies?limit=1", "PolicyPage", "Policy"}}) {
        Json.JObject page = Json.parseObject(api.get(list[0]).body());
        same(list[1], page);
        same(list[2], page.objects("items").get(0));
      }
      same("Column", Json.parseObject(api.get("/datasets?limit=1").body()).objects("items").get(0).objects("schema").get(0));
      Json.JObject entry = Json.parseObject("{\"e\":" + api.get("/jobs/" + request.id() + "/trail").body() + "}").objects("e").get(0);
      same("LedgerEntry", entry);
      same("InclusionProof", Json.parseObject(api.get("/ledger/proof/inclusion?index=0&size=2").body()));
      same("ConsistencyProof", Json.parseObject(api.get("/ledger/proof/consistency?from=1&to=2").body()));
      same("ErrorBody", Json.parseObject(api.get("/jobs/" + JobId.random()).body()));
      Json.JObject checkpoints = Json.parseObject(api.get("/ledger/checkpoint").body());
      same("Checkpoints", checkpoints);
      same("Checkpoint", checkpoints.object("checkpoint"));
      same("LogUpdate", Json.parseObject(api.get("/ledger/update?from=1").body()));
    }
  }
}
