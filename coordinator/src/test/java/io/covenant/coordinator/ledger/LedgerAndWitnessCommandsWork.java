package io.covenant.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.ledger.verify.Consortium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledger export|checkpoint|prove}, {@code witness init|cosign|show} and {@code verify --consortium/--since} from the command line. */
class LedgerAndWitnessCommandsWork {
  @TempDir Path tmp;

  @Test
  void anAuditorsRoundTrip() throws Exception {
    Path data = tmp.resolve("data");
    String logKey;
    try (LocalDeployment d = LocalDeployment.open(data)) {
      for (var h : HospitalInsurerDemo.HOSPITALS) d.createOrganisation(h.org(), h.name(), java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
      d.formConsortium(HospitalInsurerDemo.HOSPITALS.stream().map(HospitalInsurerDemo.Hospital::org).toList(), 2);
      logKey = d.ledger().checkpoint().logKey().hex();
    }
    String dd = data.toString();
    Path kept = tmp.resolve("kept.json");
    CliRun cp = CliRun.of("ledger", "checkpoint", "--data-dir", dd, "--out", kept.toString());
    assertEquals(0, cp.exit(), cp.toString());
    assertTrue(cp.out().contains("hospital-a, hospital-b, hospital-c") && Files.exists(kept), cp.toString());

    try (LocalDeployment d = LocalDeployment.open(data)) {
      d.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", java.util.Set.of(io.covenant.coordinator.identity.OrgRole.CONSUMER));
    }
    CliRun since = CliRun.of("verify", "--data-dir", dd, "--since", kept.toString());
    assertEquals(0, since.exit(), since.toString());
    assertTrue(since.out().contains("1 entries are not witnessed yet"), since.toString());

    Path export = tmp.resolve("export.jsonl");
    assertEquals(0, CliRun.of("ledger", "export", "--data-dir", dd, "--out", export.toString()).exit());
    CliRun fromExport = CliRun.of("verify", "--export", export.toString(), "--consortium", data.resolve("consortium.json").toString());
    assertEquals(0, fromExport.exit(), fromExport.toString());

    CliRun inclusion = CliRun.of("ledger", "prove", "--data-dir", dd, "--entry", "2");
    assertEquals(0, inclusion.exit(), inclusion.toString());
    assertTrue(inclusion.out().contains("\"entry\":2") && inclusion.out().contains("\"proof\""), inclusion.toString());
    CliRun consistency = CliRun.of("ledger", "prove", "--data-dir", dd, "--from", "2", "--to", "4");
    assertEquals(0, consistency.exit(), consistency.toString());
    assertTrue(consistency.out().contains("\"oldSize\":2") && consistency.out().contains("\"newSize\":4"), consistency.toString());

    // A standalone witness, run by an auditor, cosigns through request and response files.
    Path w = tmp.resolve("auditor-witness");
    CliRun init = CliRun.of("witness", "init", "--dir", w.toString(), "--name", "auditor-w", "--log-key", logKey);
    assertEquals(0, init.exit(), init.toString());
    Path req = tmp.resolve("request.json");
    Path cos = tmp.resolve("cosigned.json");
    assertEquals(0, CliRun.of("ledger", "checkpoint", "--data-dir", dd, "--request-from", "0", "--request-out", req.toString()).exit());
    CliRun cosign = CliRun.of("witness", "cosign", "--dir", w.toString(), "--request", req.toString(), "--out", cos.toString());
    assertEquals(0, cosign.exit(), cosign.toString());
    CliRun add = CliRun.of("ledger", "checkpoint", "--data-dir", dd, "--add-cosigned", cos.toString());
    assertEquals(0, add.exit(), add.toString());
    CliRun show = CliRun.of("witness", "show", "--dir", w.toString());
    assertTrue(show.out().contains("auditor-w") && show.out().contains(" 5 "), show.toString());

    // A consortium of hospital-a and the auditor's witness, both required.
    VerifyingKey auditorKey = io.covenant.ledger.witness.Witness.open(w).publicKey();
    Consortium own = Consortium.read(data.resolve("consortium.json"));
    Path both = tmp.resolve("both.json");
    new Consortium(own.logKey(), 2, List.of(own.member("hospital-a").orElseThrow(), new Consortium.Member("auditor-w", auditorKey))).write(both);
    CliRun quorum = CliRun.of("verify", "--data-dir", dd, "--consortium", both.toString());
    assertEquals(0, quorum.exit(), quorum.toString());
    assertTrue(quorum.out().contains("hospital-a, auditor-w"), quorum.toString());

    // A witness the operator never reached makes the quorum fail, named.
    Path missing = tmp.resolve("missing.json");
    new Consortium(Optional.empty(), 2, List.of(own.member("hospital-a").orElseThrow(), new Consortium.Member("regulator", io.covenant.core.crypto.SigningKey.generate().verifyingKey()))).write(missing);
    CliRun noQuorum = CliRun.of("verify", "--data-dir", dd, "--consortium", missing.toString());
    assertEquals(1, noQuorum.exit(), noQuorum.toString());
    assertTrue(noQuorum.out().contains("missing cosignatures from regulator"), noQuorum.toString());

    // A request from a size the witness did not cosign last is refused, naming the size it needs.
    assertEquals(0, CliRun.of("ledger", "checkpoint", "--data-dir", dd, "--request-from", "1", "--request-out", req.toString()).exit());
    CliRun conflict = CliRun.of("witness", "cosign", "--dir", w.toString(), "--request", req.toString(), "--out", cos.toString());
    assertEquals(1, conflict.exit(), conflict.toString());
    assertTrue(conflict.err().contains("ask again with a proof from 5"), conflict.toString());
  }
}
