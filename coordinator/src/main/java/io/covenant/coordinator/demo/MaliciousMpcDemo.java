package io.covenant.coordinator.demo;

import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.job.Computation;
import io.covenant.core.job.MpcSecurity;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code demo mpc --malicious}: after the demo, insurer-x runs a small statistics query (a global count and mean of
 * the three hospitals' claims) in the malicious-secure mode: SPDZ with MASCOT preprocessing among the three hospitals'
 * nodes and its own, over their mutual-TLS peer links, the result opened toward its node only. Then it prints the
 * table and the job's trail, where each hospital's INPUT_SHARED says the job ran malicious.
 */
public final class MaliciousMpcDemo {
  public static final String SQL = "SELECT COUNT(*) AS claims, AVG(claim_cost) AS avg_claim_cost FROM claims";

  private final PrintStream out;

  public MaliciousMpcDemo(PrintStream out) {
    this.out = out;
  }

  public String run(ProcessDemo.Running running) {
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    out.println("[malicious] insurer-x runs a small query in the malicious-secure mode: SPDZ with MASCOT preprocessing among the three "
        + "hospitals' nodes and its own (a deviating party is detected and the job aborts; this takes a few minutes on a small machine)");
    out.println("  " + SQL);
    Json.JObject m = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", running.versions(), "engine", "mpc", "purpose", "risk-model",
        "computation", new Computation.SqlQuery(SQL, MpcSecurity.MALICIOUS).toJson()));
    if (!"COMMITTED".equals(m.string("state"))) {
      throw new CovenantException("the malicious-secure job ended " + m.string("state") + ": " + m.members().get("reasons").encode());
    }
    String job = m.string("job");
    Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job));
    out.println("  ... job " + job + " committed (security: malicious); SPDZ's MAC check passed before the result was opened toward insurer-x's node");
    out.print(indent(result.string("table")));
    Json.JObject trail = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", job));
    out.println("  Audit trail of " + job + ": each hospital's INPUT_SHARED records that the job ran malicious-secure");
    out.print(indent(trail.string("table")));
    return job;
  }

  private static String indent(String text) {
    return text.indent(2);
  }
}
