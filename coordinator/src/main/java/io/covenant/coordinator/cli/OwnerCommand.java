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
    description = {"A vehicle owner's key, consent and withdrawal, and its view of the licensed use of its vehicle's data. See docs/vehicles.md."},
    subcommands = {OwnerCommand.Key.class, OwnerCommand.Consent.class, OwnerCommand.Statement.class, OwnerCommand.Withdraw.class})
final class OwnerCommand extends CommandGroup {

  @Command(name = "key", mixinStandardHelpOptions = true,
      description = {"A vehicle owner's signing key, which signs the owner's consents and withdrawals."},
      subcommands = {OwnerCommand.Key.New.class})
  static final class Key extends CommandGroup {
    @Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Makes a new Ed25519 key for the owner of a vehicle and writes it to a file readable by its owner only (0600). It never",
            "overwrites a file, because a key file may hold the only copy of a key. The key stays with the owner: the maker learns",
            "only its public half, inside each consent the owner signs with it ('owner consent', 'owner withdraw'). No data",
            "directory is needed."})
    static final class New implements Callable<Integer> {
      @Option(names = "--vehicle", required = true, paramLabel = "VIN", description = "The vehicle identification number (17 characters).")
      String vin;

      @Option(names = "--out", required = true, paramLabel = "FILE", description = "The new key file; it must not exist yet.")
      java.nio.file.Path out;

      @Override
      public Integer call() {
        requireVin(vin);
        io.covenant.core.crypto.SigningKey key = io.covenant.coordinator.vehicles.OwnerKeyFile.create(out, vin);
        System.out.print(io.covenant.core.text.TextTable.withHeaders("vehicle", "owner's public key (Ed25519)", "key file (0600)")
            .maxCellWidth(100).row(vin, key.verifyingKey().hex(), out).render());
        System.out.println("Keep the file safe: whoever holds it can grant and withdraw consent for " + vin + ". Grant with './covenant owner consent "
            + "--vehicle " + vin + " --consumer ORG --key " + out + "'.");
        return 0;
      }
    }
  }

  @Command(name = "consent", mixinStandardHelpOptions = true,
      description = {"Grants, as the vehicle's owner, a consumer the use of the vehicle's telemetry for a purpose, for a period, at a price",
          "floor per vehicle-month: the grant is signed with the owner's key, checked by the maker (its signature, and that the key",
          "is the one that signed the vehicle's earlier consents, if any), and its digest goes on the ledger (CONSENT_RECORDED).",
          "Licensed jobs of that consumer include the vehicle from then on, if the licence pays owners at least the floor.",
          "Nothing is recorded if a check fails."})
  static final class Consent implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--vehicle", required = true, paramLabel = "VIN", description = "The vehicle identification number (17 characters).")
    String vin;

    @Option(names = "--consumer", required = true, paramLabel = "ORG", description = "The organisation granted the use, e.g. aurora-insurance.")
    String consumer;

    @Option(names = "--purpose", defaultValue = "ubi-pricing", paramLabel = "PURPOSE", description = "The purpose granted (default: ${DEFAULT-VALUE}).")
    String purpose;

    @Option(names = "--days", defaultValue = "365", description = "How many days from now the grant lasts (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--price-floor", defaultValue = "10", paramLabel = "CENTS",
        description = "The least the owner accepts per vehicle-month, in minor units of the currency (default: ${DEFAULT-VALUE}).")
    long priceFloor;

    @Option(names = "--currency", defaultValue = "EUR", description = "The ISO 4217 currency of the price floor (default: ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The owner's key file, as 'owner key new' writes it.")
    java.nio.file.Path keyFile;

    @Option(names = "--maker", defaultValue = "velo-motors", paramLabel = "ORG", description = "The vehicle's maker (default: ${DEFAULT-VALUE}, the demo's).")
    String maker;

    @Override
    public Integer call() {
      requireVin(vin);
      if (days < 1 || days > 3660) throw new CovenantException("--days must be 1 to 3660, not " + days);
      if (priceFloor < 0) throw new CovenantException("--price-floor is 0 or more minor units, not " + priceFloor);
      if (!currency.matches("[A-Z]{3}")) throw new CovenantException("--currency is an ISO 4217 code of three capital letters, not '" + currency + "'");
      io.covenant.core.id.Purpose why = new io.covenant.core.id.Purpose(purpose);
      io.covenant.core.crypto.SigningKey key = io.covenant.coordinator.vehicles.OwnerKeyFile.read(keyFile, vin).key();
      OrgId to = new OrgId(consumer);
      try (LocalDeployment d = dataDir.open()) {
        if (d.ledger().organisation(to).isEmpty()) {
          throw new CovenantException(to + " is not an organisation on the ledger; check the name (e.g. aurora-insurance). Nothing was granted");
        }
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        java.time.Instant now = java.time.Instant.now();
        byte[] nonce = new byte[16];
        new java.security.SecureRandom().nextBytes(nonce);
        var grant = io.covenant.policy.consent.SignedConsent.sign(new io.covenant.policy.consent.OwnerConsent.Grant(m.dataset(), m.pseudonym(vin), key.verifyingKey(),
            to, why, now, now.plus(java.time.Duration.ofDays(days)), currency, priceFloor, java.util.HexFormat.of().formatHex(nonce)), key);
        io.covenant.core.crypto.Digest recorded = m.recordConsent(grant, now);
        System.out.print(io.covenant.core.text.TextTable.withHeaders("grant", "vehicle", "consumer", "purpose", "until", "price floor")
            .row(recorded.shortForm() + "…", vin, to, why, now.plus(java.time.Duration.ofDays(days)), priceFloor + " " + currency + " minor units per vehicle-month").render());
        System.out.println("Recorded on the ledger (its digest only). Withdraw it with './covenant owner withdraw --vehicle " + vin + " --consumer " + to
            + " --key " + keyFile + "'.");
        return 0;
      }
    }
  }

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
          "(CONSENT_RECORDED). Every job of that consumer from then on leaves the vehicle out (inside the enclave, or on the maker's side on the HE route), and the owner's",
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
        description = "The owner's key file, as 'owner key new' writes it (or 'demo vehicles' for a sample owner); in practice the owner's own app "
            + "holds the key.")
    java.nio.file.Path keyFile;

    @Option(names = "--maker", defaultValue = "velo-motors", paramLabel = "ORG", description = "The vehicle's maker (default: ${DEFAULT-VALUE}, the demo's).")
    String maker;

    @Override
    public Integer call() {
      requireVin(vin);
      io.covenant.core.crypto.SigningKey key = io.covenant.coordinator.vehicles.OwnerKeyFile.read(keyFile, vin).key();
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
  }

  /** Refuses, before anything is opened, what is not a vehicle identification number (ISO 3779: 17 characters, no I, O or Q). */
  private static void requireVin(String vin) {
    if (vin == null || !vin.matches("[A-HJ-NPR-Z0-9]{17}")) throw new CovenantException("'" + vin + "' is not a VIN: 17 of A-Z (without I, O, Q) and 0-9");
  }
}
