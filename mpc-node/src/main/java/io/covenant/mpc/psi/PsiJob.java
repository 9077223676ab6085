package io.covenant.mpc.psi;

import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What both parties of one PSI run agree on before it starts: the job it belongs to (its id is the domain separator of
 * every hash, so pseudonyms from one job are worthless in another), the protocol, how ids are normalised, and who learns
 * the result. Both parties check in their first message that they hold the same job (a digest of all four fields).
 *
 * @param jobId the coordinator's job id, 1 to 128 printable ASCII characters
 * @param threads worker threads for the party's own computation (2 on the build machine)
 */
public record PsiJob(String jobId, PsiProtocol protocol, IdRule idRule, Delivery delivery, int threads) {
  public PsiJob {
    if (jobId == null || jobId.isEmpty() || jobId.length() > 128 || !jobId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new MalformedInputException("a PSI job id has 1 to 128 printable ASCII characters without spaces, e.g. job-2031; got "
          + (jobId == null ? "none" : jobId.length() + " characters"));
    }
    if (protocol == null || idRule == null || delivery == null) throw new MalformedInputException("a PSI job names its protocol, id rule and delivery");
    if (threads < 1 || threads > 256) throw new MalformedInputException("a PSI party uses 1 to 256 threads, not " + threads);
  }

  /** A job on all available cores. */
  public static PsiJob of(String jobId, PsiProtocol protocol, IdRule idRule, Delivery delivery) {
    return new PsiJob(jobId, protocol, idRule, delivery, Runtime.getRuntime().availableProcessors());
  }

  public PsiJob withThreads(int n) {
    return new PsiJob(jobId, protocol, idRule, delivery, n);
  }

  /** The RFC 9380 domain separation tag of the ECDH protocol for this job (RFC 9380 §3.1: application, version, suite). */
  String hashToCurveTag() {
    return "COVENANT-PSI-V01-" + jobId + "-with-" + HashToCurveP256.SUITE;
  }

  /** Prefix of every id digest: "covenant/psi/v1", the job id and the id rule, each length-prefixed. */
  byte[] idDomain() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : new String[] {"covenant/psi/v1", jobId, idRule.name()}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      out.write(b.length);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  /** What the parties compare in their first message: one digest of every field but the thread count. */
  byte[] agreementDigest() {
    MessageDigest sha = HashToCurveP256.hash();
    sha.update(idDomain());
    sha.update(protocol.wireName().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) delivery.ordinal());
    return sha.digest();
  }
}
