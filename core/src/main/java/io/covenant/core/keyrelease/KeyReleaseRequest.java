package io.covenant.core.keyrelease;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.attestation.AttestationEvidence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An enclave asks a data owner for one dataset version's key, for one job. The evidence's report data must be
 * {@link #reportData(JobId, DatasetVersion, HpkePublicKey, AuthorisationEntry)}, which binds the evidence to this job,
 * this dataset, the enclave's ephemeral HPKE key and the job's JOB_AUTHORIZED entry on the ledger: evidence cannot be
 * replayed to obtain a key sealed to anyone else, nor made before the job was authorised, nor reused for another job.
 *
 * <p>The 64 bytes of report data (SEV-SNP REPORT_DATA, AMD pub. 56860 table 23; TDX REPORTDATA, Intel TDX DCAP quote
 * format, TD quote body; the simulation's signed report data alike) are two halves: SHA-256 of the request binding,
 * then the attestation nonce ({@link AuthorisationEntry#nonce}). The nonce stands in clear in the second half so that
 * an owner can tell evidence with a stale nonce (made for an earlier authorisation) from evidence bound to another
 * request, and name which. A request without an authorisation entry ({@link #authorisation} empty) is what a worker
 * built before nonce-bound freshness sends, with the older binding {@link #reportData(JobId, DatasetVersion,
 * HpkePublicKey)}; owners refuse it.
 *
 * <p>The released keys travel HPKE-sealed (RFC 9180) to {@code enclaveKey} with info {@value #SEALING_INFO} and the
 * job and dataset as associated data. The sealed payload is data key || subject key || the SHA-256 hash of the policy
 * the owner decided the release under: the owner binds its policy to the key, so the enclave can refuse a policy text
 * the coordinator hands it that is not the one the owner released under (see {@link ReleasedKeys#policyHash}). The
 * version in the info string separates this payload from the earlier one without the hash: an old payload does not
 * open under the new info.
 */
public record KeyReleaseRequest(
    JobId job, DatasetVersion dataset, AttestationEvidence evidence, HpkePublicKey enclaveKey, java.util.Optional<AuthorisationEntry> authorisation) {
  /** Domain label of the report-data hash and the HPKE info string of the released key. */
  public static final String INFO = "covenant/key-release/v1";
  /** Domain label of the request binding in the first half of nonce-bound report data. */
  public static final String NONCE_BOUND_INFO = "covenant/key-release/v2";
  /** Where the attestation nonce starts in nonce-bound report data: its second half. */
  public static final int NONCE_OFFSET = 32;
  /** The HPKE info string of the released keys; v2 carries the owner's policy hash after the two keys. */
  public static final String SEALING_INFO = "covenant/key-release/v2";
  private static final int PAYLOAD_LENGTH = 32 + 32 + 32;

  public KeyReleaseRequest {
    if (job == null || dataset == null || evidence == null || enclaveKey == null) {
      throw new MalformedInputException("a key-release request needs a job, a dataset version, attestation evidence and an enclave key");
    }
    authorisation = authorisation == null ? java.util.Optional.empty() : authorisation;
  }

  /** A request anchored to the job's JOB_AUTHORIZED entry {@code authorisation}: what a current worker sends. */
  public KeyReleaseRequest(JobId job, DatasetVersion dataset, AttestationEvidence evidence, HpkePublicKey enclaveKey, AuthorisationEntry authorisation) {
    this(job, dataset, evidence, enclaveKey, java.util.Optional.of(authorisation));
  }

  /** A request without an authorisation entry, as workers built before nonce-bound freshness sent it; owners refuse it. */
  public KeyReleaseRequest(JobId job, DatasetVersion dataset, AttestationEvidence evidence, HpkePublicKey enclaveKey) {
    this(job, dataset, evidence, enclaveKey, java.util.Optional.empty());
  }

  /**
   * Nonce-bound report data: H("covenant/key-release/v2" || job || dataset || enclaveKey) || nonce, where the nonce is
   * {@code authorisation.nonce(suite, enclaveKey.fingerprint())} (see {@link AuthorisationEntry#nonce}) and H and the
   * suite are the enclave key's (SHA-256 for an X25519 key, SM3 for an SM2 one: the consortium's). 64 bytes, the size of
   * REPORT_DATA in SEV-SNP and TDX reports.
   */
  public static byte[] reportData(JobId job, DatasetVersion dataset, HpkePublicKey enclaveKey, AuthorisationEntry authorisation) {
    if (authorisation == null) throw new MalformedInputException("nonce-bound report data needs the job's authorisation entry");
    MessageDigest sha256 = enclaveKey.suite().newHash();
    sha256.update(NONCE_BOUND_INFO.getBytes(StandardCharsets.UTF_8));
    sha256.update(job.value().getBytes(StandardCharsets.UTF_8));
    sha256.update(dataset.toString().getBytes(StandardCharsets.UTF_8));
    sha256.update(enclaveKey.bytes());
    byte[] out = Arrays.copyOf(sha256.digest(), NONCE_OFFSET + 32);
    System.arraycopy(authorisation.nonce(enclaveKey.suite(), enclaveKey.fingerprint()).bytes(), 0, out, NONCE_OFFSET, 32);
    return out;
  }

  /** The nonce half of nonce-bound report data (what the evidence claims; meaningful once the evidence verified). */
  public static Digest nonceIn(byte[] reportData) {
    if (reportData == null || reportData.length != NONCE_OFFSET + 32) throw new MalformedInputException("report data is 64 bytes");
    return Digest.of(Arrays.copyOfRange(reportData, NONCE_OFFSET, NONCE_OFFSET + 32));
  }

  /** The attestation nonce this request's evidence must carry, if it names its authorisation entry. */
  public java.util.Optional<Digest> nonce() {
    return authorisation.map(a -> a.nonce(enclaveKey.suite(), enclaveKey.fingerprint()));
  }

  /**
   * SHA-512("covenant/key-release/v1" || job || dataset || enclaveKey). The job id has a fixed length and the key
   * is the last 32 bytes, so the concatenation is unambiguous.
   */
  public static byte[] reportData(JobId job, DatasetVersion dataset, HpkePublicKey enclaveKey) {
    MessageDigest sha512;
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-512", e);
    }
    sha512.update(INFO.getBytes(StandardCharsets.UTF_8));
    sha512.update(job.value().getBytes(StandardCharsets.UTF_8));
    sha512.update(dataset.toString().getBytes(StandardCharsets.UTF_8));
    sha512.update(enclaveKey.bytes());
    return sha512.digest();
  }

  /** The request as a node receives it over the wire; {@code authorisation} is a member only when the request names one. */
  public io.covenant.core.codec.Json.JObject toJson() {
    if (authorisation.isPresent()) {
      return io.covenant.core.codec.Json.obj("job", job.value(), "dataset", dataset.toString(), "evidence", evidence.toJson(), "enclaveKey", enclaveKey.hex(),
          "authorisation", authorisation.get().toJson());
    }
    return io.covenant.core.codec.Json.obj("job", job.value(), "dataset", dataset.toString(), "evidence", evidence.toJson(), "enclaveKey", enclaveKey.hex());
  }

  /** Parses {@link #toJson()}; {@link MalformedInputException} naming the field that is missing or malformed. */
  public static KeyReleaseRequest fromJson(io.covenant.core.codec.Json.JObject o) {
    return new KeyReleaseRequest(new JobId(o.string("job")), DatasetVersion.parse(o.string("dataset")),
        AttestationEvidence.fromJson(o.object("evidence")), HpkePublicKey.parse(o.string("enclaveKey")),
        o.has("authorisation") ? java.util.Optional.of(AuthorisationEntry.fromJson(o.object("authorisation"))) : java.util.Optional.empty());
  }

  /** The report data this request's evidence must carry: nonce-bound when the request names its authorisation entry. */
  public byte[] expectedReportData() {
    return authorisation.map(a -> reportData(job, dataset, enclaveKey, a)).orElseGet(() -> reportData(job, dataset, enclaveKey));
  }

  /** The HPKE associated data of the released key: job || dataset. */
  public byte[] sealingContext() {
    byte[] j = job.value().getBytes(StandardCharsets.UTF_8);
    byte[] d = dataset.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(j, j.length + d.length);
    System.arraycopy(d, 0, out, j.length, d.length);
    return out;
  }

  /**
   * What an owner releases to an attested enclave: the dataset version's data key, the dataset's subject key, and the
   * hash of the policy the owner released them under (whose output controls the enclave must apply).
   */
  public record ReleasedKeys(DataKey data, SubjectKey subjects, Digest policyHash) {
    public void destroy() {
      data.destroy();
      subjects.destroy();
    }
  }

  /**
   * Seals data key || subject key || policy hash to this request's enclave key: what an owner's key service returns.
   * {@code policyHash} is the hash of the policy the owner decided the release under.
   */
  public SealedMessage seal(DataKey key, SubjectKey subjects, Digest policyHash) {
    if (policyHash == null) throw new MalformedInputException("an owner seals released keys together with the hash of the policy it released them under");
    byte[] raw = Arrays.copyOf(key.exportForWrapping(), PAYLOAD_LENGTH);
    byte[] s = subjects.exportForSealing();
    System.arraycopy(s, 0, raw, 32, 32);
    Arrays.fill(s, (byte) 0);
    System.arraycopy(policyHash.bytes(), 0, raw, 64, 32);
    try {
      return HpkeKeyPair.seal(enclaveKey, SEALING_INFO.getBytes(StandardCharsets.UTF_8), sealingContext(), raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Enclave side: opens the key an owner released for this request with the enclave's private key. Throws
   * {@link IntegrityException} if it was sealed to another key, for another job or dataset, or altered.
   */
  public DataKey openReleasedKey(SealedMessage released, HpkeKeyPair enclaveKeys) {
    ReleasedKeys keys = openReleasedKeys(released, enclaveKeys);
    keys.subjects().destroy();
    return keys.data();
  }

  /** Enclave side: opens both keys an owner released for this request and the hash of the policy it released them under. */
  public ReleasedKeys openReleasedKeys(SealedMessage released, HpkeKeyPair enclaveKeys) {
    if (!enclaveKeys.publicKey().equals(enclaveKey)) {
      throw new MalformedInputException("the enclave key pair given to open the key of " + dataset + " is not the one this request named");
    }
    byte[] raw;
    try {
      raw = enclaveKeys.open(released, SEALING_INFO.getBytes(StandardCharsets.UTF_8), sealingContext());
    } catch (IntegrityException e) {
      throw new IntegrityException("the key released for " + dataset + " in " + job
          + " could not be opened: it was sealed to another enclave key or for another job or dataset, or altered in transit, or sealed in an older release format", e);
    }
    try {
      if (raw.length != PAYLOAD_LENGTH) throw new IntegrityException("the keys released for " + dataset + " in " + job + " have the wrong length");
      return new ReleasedKeys(DataKey.fromBytes(Arrays.copyOfRange(raw, 0, 32)), SubjectKey.fromBytes(Arrays.copyOfRange(raw, 32, 64), enclaveKeys.suite()),
          Digest.of(Arrays.copyOfRange(raw, 64, 96)));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
