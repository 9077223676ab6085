package io.covenant.ledger.verify;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.LedgerStorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The consortium's configuration an auditor verifies against: which witnesses there are (each a name and an Ed25519
 * public key), how many of them must cosign a checkpoint before the auditor relies on it ({@code quorum}), and,
 * optionally, the operator's log key. A checkpoint counts as witnessed when at least {@code quorum} distinct listed
 * witnesses have valid cosignatures on it, as a C2SP tlog-witness client policy does ("k of n witnesses").
 *
 * <p>File form ({@code consortium.json}):
 *
 * <pre>{@code
 * {"logKey": "<64 hex, optional>", "quorum": 2,
 *  "root": "<base64 DER of the consortium's root certificate, optional>",
 *  "witnesses": [{"name": "hospital-a", "key": "<64 hex>"}, {"name": "insurer-x", "key": "<64 hex>"}]}
 * }</pre>
 *
 * <p>With a {@code root}, every organisation's registration must carry a certificate that chains to it (see
 * {@link LedgerVerifier}). The consortium's crypto suite ({@link #suite()}) is its root key's (an SM2 root: the national
 * suite); the file records it as {@code "suite": "sm"} for a national consortium (absent means {@code intl}), and a
 * recorded suite that contradicts the root's or the log key's key is refused. A consortium that has pinned its root but formed no witnesses yet lists none, with quorum 0.
 */
public record Consortium(Optional<VerifyingKey> logKey, int quorum, List<Member> witnesses, Optional<ConsortiumRoot> root) {

  /** One witness: the name it signs under and its public key. */
  public record Member(String name, VerifyingKey key) {
    public Member {
      if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
        throw new MalformedInputException("witness name '" + name + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
      }
      if (key == null) throw new MalformedInputException("witness " + name + " needs a public key");
    }
  }

  public Consortium(Optional<VerifyingKey> logKey, int quorum, List<Member> witnesses) {
    this(logKey, quorum, witnesses, Optional.empty());
  }

  /** A consortium that has pinned its root and has no witnesses yet. */
  public static Consortium ofRoot(Optional<VerifyingKey> logKey, ConsortiumRoot root) {
    return new Consortium(logKey, 0, List.of(), Optional.of(root));
  }

  /** The same consortium with {@code root} pinned. */
  public Consortium withRoot(ConsortiumRoot r) {
    return new Consortium(logKey, quorum, witnesses, Optional.of(r));
  }

  /** The same root (if any) with these witnesses and quorum. */
  public Consortium withWitnesses(Optional<VerifyingKey> log, int q, List<Member> members) {
    return new Consortium(log, q, members, root);
  }

  public Consortium {
    logKey = logKey == null ? Optional.empty() : logKey;
    root = root == null ? Optional.empty() : root;
    witnesses = List.copyOf(witnesses);
    if (witnesses.isEmpty() && (root.isEmpty() || quorum != 0)) {
      throw new MalformedInputException("a consortium needs at least one witness (or, before it has any, a pinned root and quorum 0)");
    }
    Set<String> names = new HashSet<>();
    Set<VerifyingKey> keys = new HashSet<>();
    for (Member m : witnesses) {
      if (!names.add(m.name())) throw new MalformedInputException("witness " + m.name() + " is listed twice; each witness appears once");
      if (!keys.add(m.key())) throw new MalformedInputException("witness " + m.name() + " has the same key as another witness; each witness needs a key of its own");
    }
    if (!witnesses.isEmpty() && (quorum < 1 || quorum > witnesses.size())) {
      throw new MalformedInputException("quorum " + quorum + " is not between 1 and the number of witnesses (" + witnesses.size() + ")");
    }
    CryptoSuite suite = root.isPresent() ? root.get().key().suite()
        : logKey.isPresent() ? logKey.get().suite() : witnesses.isEmpty() ? CryptoSuite.INTL : witnesses.get(0).key().suite();
    if (logKey.isPresent() && logKey.get().suite() != suite) {
      throw new MalformedInputException("the log key is a " + logKey.get().suite().id() + " key but the consortium runs on " + suite.id() + "; a consortium never mixes suites");
    }
    for (Member m : witnesses) {
      if (m.key().suite() != suite) {
        throw new MalformedInputException("witness " + m.name() + " has a " + m.key().suite().id() + " key but the consortium runs on " + suite.id() + "; a consortium never mixes suites");
      }
    }
  }

  /**
   * The consortium's crypto suite: its root key's, else its log key's, else its first witness's, else the international
   * suite. The members' keys must all be of it.
   */
  public CryptoSuite suite() {
    if (root.isPresent()) return root.get().key().suite();
    if (logKey.isPresent()) return logKey.get().suite();
    return witnesses.isEmpty() ? CryptoSuite.INTL : witnesses.get(0).key().suite();
  }

  public Optional<Member> member(String name) {
    return witnesses.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The listed witnesses whose cosignature on {@code cp} is present and valid. */
  public List<String> validCosigners(CosignedCheckpoint cp) {
    List<String> ok = new ArrayList<>();
    for (Member m : witnesses) {
      Optional<Cosignature> c = cp.by(m.name());
      if (c.isPresent() && c.get().witnessKey().equals(m.key()) && c.get().verifies(cp.checkpoint())) ok.add(m.name());
    }
    return ok;
  }

  /** The listed witnesses that did not validly cosign {@code cp}. */
  public List<String> missing(CosignedCheckpoint cp) {
    List<String> ok = validCosigners(cp);
    return witnesses.stream().map(Member::name).filter(n -> !ok.contains(n)).toList();
  }

  public boolean quorumMet(CosignedCheckpoint cp) {
    return validCosigners(cp).size() >= quorum;
  }

  public Json.JObject toJson() {
    List<Json.JObject> ws = witnesses.stream().map(m -> Json.obj("name", m.name(), "key", m.key().hex())).toList();
    java.util.List<Object> fields = new ArrayList<>(List.of("quorum", (long) quorum, "witnesses", ws));
    logKey.ifPresent(k -> fields.addAll(List.of("logKey", k.hex())));
    root.ifPresent(r -> fields.addAll(List.of("root", r.certificate().base64())));
    if (suite().isNational()) fields.addAll(List.of("suite", suite().id()));
    return Json.obj(fields.toArray());
  }

  public static Consortium fromJson(Json.JObject o) {
    Optional<VerifyingKey> log = o.has("logKey") ? Optional.of(VerifyingKey.parse(o.string("logKey"))) : Optional.empty();
    List<Member> ws = o.objects("witnesses").stream().map(w -> new Member(w.string("name"), VerifyingKey.parse(w.string("key")))).toList();
    long q = o.number("quorum");
    if (q > Integer.MAX_VALUE) throw new MalformedInputException("quorum " + q + " is too large");
    Optional<ConsortiumRoot> root = o.has("root") ? Optional.of(new ConsortiumRoot(OrgCertificate.parse(o.string("root")))) : Optional.empty();
    Consortium c = new Consortium(log, (int) q, ws, root);
    CryptoSuite recorded = o.has("suite") ? CryptoSuite.parse(o.string("suite")) : CryptoSuite.INTL;
    if (recorded != c.suite()) {
      throw new MalformedInputException("it records the " + recorded.id() + " crypto suite but its keys are " + c.suite().id() + " keys; a consortium never mixes suites");
    }
    return c;
  }

  /** Reads a consortium file; what is wrong with it is named with the file. */
  public static Consortium read(Path file) {
    try {
      return fromJson(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      throw new LedgerStorageException("no consortium configuration at " + file + "; pass the file your consortium agreed on");
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the consortium configuration " + file + ": " + e.getMessage(), e);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("consortium configuration " + file + ": " + e.getMessage() + "; see docs/ledger.md for its form", e);
    }
  }

  /** Writes the file atomically (a reader sees the old file or the new one, never a part). */
  public void write(Path file) {
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    try {
      Files.writeString(tmp, toJson().encode() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot write the consortium configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
