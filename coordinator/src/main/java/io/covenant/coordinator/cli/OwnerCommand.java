package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.vehicles.OwnerStatement;
import io.covenant.coordinator.vehicles.VehicleMaker;
import io.covenant.coordinator.vehicles.VehiclesDemo;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "owner",
    mixinStandardHelpOptions = true,
    description = {"A vehicle owner's view of the licensed use of its vehicle's data, and its withdrawal of consent. See docs/vehicles.md."},
    subcommands = {OwnerCommand.Statement.class, OwnerCommand.Withdraw.class})
final class OwnerCommand extends CommandGroup {

  @Command(name = "statement", mixinStandardHelpOptions = true,
      description = {"Shows every licensed job on the maker's telemetry: whether it used the vehicle's data, under which consent,",
          "and what the owner earned. Each line is proved against the ledger: the owner's settlement line by its Merkle",
          "inclusion proof against the root in USAGE_SETTLED, and that entry and the consent's CONSENT_RECORDED by inclusion",
          "proofs against the ledger's signed checkpoint. Exits 1 if any line does not prove."})
  static final class Statement implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--vehicle", required = true, paramLabel = "VIN", description = "The vehicle identification number (17 characters).")
    String vin;

    @Option(names = "--maker", defaultValue = "velo-motors", paramLabel = "ORG", description = "The vehicle's maker (default: ${DEFAULT-VALUE}, the demo's).")
    String maker;

    @Override
    public Integer call() {
      requireVin(vin);
      try (LocalDeployment d = dataDir.open()) {
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        OwnerStatement s = OwnerStatement.of(m, d.ledger(), vin);
        if (s.lines().isEmpty()) {
          System.out.println("No licensed job on " + m.dataset() + " has been settled yet; there is nothing to state.");
          return 0;
        }
        if (s.lines().stream().noneMatch(OwnerStatement.Line::used)
            && m.consents().consents().stream().noneMatch(c -> c.consent().vehicle().equals(s.vehicle()))) {
          System.out.println("Note: " + maker + " keeps no consent of this vehicle's owner; check the VIN.");
        }
        System.out.print(s.render(VehiclesDemo.CURRENCY));
        return s.proved() ? 0 : 1;
      }
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true,
      description = {"Withdraws, as the vehicle's owner, every grant of the vehicle's data to a consumer that is still in force: the withdrawal is",
          "signed with the owner's key, checked by the maker against the grant it withdraws, and its digest goes on the ledger",
          "(CONSENT_RECORDED). Every job of that consumer from then on leaves the vehicle out inside the enclave, and the owner's",
          "statement says so. Nothing is recorded if the key is not the one that signed the grants."})
  static final class Withdraw implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--vehicle", required = true, paramLabel = "VIN", description = "The vehicle identification number (17 characters).")
    String vin;

    @Option(names = "--consumer", required = true, paramLabel = "ORG", description = "The organisation whose grants are withdrawn, e.g. aurora-insurance.")
    String consumer;

    @Option(names = "--purpose", paramLabel = "PURPOSE", description = "Only the grants for this purpose (default: every purpose).")
    String purpose;

    @Option(names = "--key", required = true, paramLabel = "FILE",
        description = "The owner's key file, JSON with the key's seed as 'ownerKeySeed' (what 'demo vehicles' writes for a sample owner; in "
            + "practice the owner's own app holds the key).")
    java.nio.file.Path keyFile;

    @Option(names = "--maker", defaultValue = "velo-motors", paramLabel = "ORG", description = "The vehicle's maker (default: ${DEFAULT-VALUE}, the demo's).")
    String maker;

    @Override
    public Integer call() {
      requireVin(vin);
      io.covenant.core.crypto.SigningKey key = ownerKey(keyFile);
      OrgId to = new OrgId(consumer);
      try (LocalDeployment d = dataDir.open()) {
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        String pseudonym = m.pseudonym(vin);
        var book = m.consents();
        java.util.Set<io.covenant.core.crypto.Digest> withdrawn = new java.util.HashSet<>();
        for (var c : book.consents()) if (c.consent() instanceof io.covenant.policy.consent.OwnerConsent.Withdrawal w) withdrawn.add(w.grant());
        java.util.List<io.covenant.policy.consent.SignedConsent> grants = book.consents().stream()
            .filter(c -> c.consent() instanceof io.covenant.policy.consent.OwnerConsent.Grant g && g.vehicle().equals(pseudonym) && g.consumer().equals(to)
                && (purpose == null || g.purpose().value().equals(purpose)) && !withdrawn.contains(c.digest()))
            .toList();
        if (grants.isEmpty()) {
          throw new CovenantException(maker + " keeps no grant of " + vin + " to " + to + (purpose == null ? "" : " for " + purpose)
              + " that is still in force; nothing was withdrawn. './covenant owner statement --vehicle " + vin + "' lists the vehicle's consents");
        }
        for (var g : grants) {
          if (!((io.covenant.policy.consent.OwnerConsent.Grant) g.consent()).owner().equals(key.verifyingKey())) {
            throw new CovenantException("the key in " + keyFile + " is not the key that signed " + vin + "'s grant to " + to
                + ": only the vehicle's owner can withdraw it; nothing was withdrawn");
          }
        }
        java.time.Instant now = java.time.Instant.now();
        java.util.List<io.covenant.policy.consent.SignedConsent> withdrawals = grants.stream()
            .map(g -> io.covenant.policy.consent.SignedConsent.sign(new io.covenant.policy.consent.OwnerConsent.Withdrawal(m.dataset(), pseudonym,
                key.verifyingKey(), g.digest(), now), key))
            .toList();
        java.util.List<io.covenant.core.crypto.Digest> recorded = m.recordConsents(withdrawals, now);
        io.covenant.core.text.TextTable t = io.covenant.core.text.TextTable.withHeaders("withdrawal", "of grant", "consumer", "purpose", "from");
        for (int i = 0; i < grants.size(); i++) {
          var g = (io.covenant.policy.consent.OwnerConsent.Grant) grants.get(i).consent();
          t.row(recorded.get(i).shortForm() + "…", grants.get(i).digest().shortForm() + "…", g.consumer(), g.purpose(), now);
        }
        System.out.print(t.render());
        System.out.println("Recorded on the ledger (digests only). Jobs of " + to + " from now on leave " + vin + " out; see it with './covenant vehicles job "
            + "--consumer " + to + "' and './covenant owner statement --vehicle " + vin + "'.");
        return 0;
      }
    }

    private static io.covenant.core.crypto.SigningKey ownerKey(java.nio.file.Path file) {
      if (file == null || !java.nio.file.Files.isRegularFile(file)) {
        throw new CovenantException("no owner key file at " + file + "; 'demo vehicles' writes a sample owner's in <data-dir>/vehicle-owners/");
      }
      try {
        String seed = io.covenant.core.codec.Json.parseObject(java.nio.file.Files.readString(file)).string("ownerKeySeed");
        byte[] bytes = java.util.HexFormat.of().parseHex(seed);
        if (bytes.length != 32) throw new IllegalArgumentException(bytes.length + " bytes");
        return io.covenant.core.crypto.SigningKey.fromSeed(bytes);
      } catch (java.io.IOException e) {
        throw new CovenantException("cannot read the owner key file " + file + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new CovenantException("the owner key file " + file + " holds no owner key: it must be JSON with 'ownerKeySeed', 32 bytes in hex");
      }
    }
  }

  /** Refuses, before anything is opened, what is not a vehicle identification number (ISO 3779: 17 characters, no I, O or Q). */
  private static void requireVin(String vin) {
    if (vin == null || !vin.matches("[A-HJ-NPR-Z0-9]{17}")) throw new CovenantException("'" + vin + "' is not a VIN: 17 of A-Z (without I, O, Q) and 0-9");
  }
}
