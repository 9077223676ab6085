package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.PeerLink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * How the engine's messages cross a {@link PeerLink}: one header frame (a tag, then the public fields) followed by one
 * frame per SEAL object, each a kind byte and SEAL's bytes, so no frame holds more than one ciphertext or key set.
 * The ledger digests are computed over the header and the SHA-256 of each object, so that a verifier can check one
 * ciphertext without the others.
 */
final class HeWire {
  private HeWire() {}

  static final String MODEL_TAG = "covenant-he-model-v1";
  static final String SCORES_TAG = "covenant-he-scores-v1";
  private static final int MAX_FEATURES = 100_000;
  private static final int MAX_BLOCKS = 1_000_000;
  private static final int MAX_PROBES = 1024;

  // ---- encrypted model ----

  static byte[] modelHeader(EncryptedModel m) {
    return write(out -> {
      out.writeUTF(MODEL_TAG);
      out.writeByte(m.link().ordinal());
      boolean logistic = m.link() == ScoringModel.Link.LOGISTIC;
      out.writeBoolean(logistic);
      if (logistic) {
        out.writeDouble(m.sigmoid().c0());
        out.writeDouble(m.sigmoid().c1());
        out.writeDouble(m.sigmoid().c3());
        out.writeDouble(m.sigmoid().radius());
        out.writeUTF(m.sigmoid().source());
      }
      out.writeInt(m.features());
      out.writeInt(m.scaleBits());
      double[][] probes = m.probes();
      out.writeInt(probes.length);
      for (double[] row : probes) for (double v : row) out.writeDouble(v);
    });
  }

  static Digest modelDigest(EncryptedModel m) {
    List<SealBytes> objects = new ArrayList<>(List.of(m.parameters(), m.publicKey()));
    if (m.relinKeys() != null) objects.add(m.relinKeys());
    objects.addAll(m.weights());
    return digest(modelHeader(m), objects);
  }

  static void sendModel(PeerLink link, EncryptedModel m) {
    link.send(modelHeader(m));
    sendObject(link, m.parameters());
    sendObject(link, m.publicKey());
    if (m.relinKeys() != null) sendObject(link, m.relinKeys());
    for (SealBytes w : m.weights()) sendObject(link, w);
  }

  static EncryptedModel receiveModel(PeerLink link) {
    DataInputStream in = reader(link.receive());
    try {
      expectTag(in, MODEL_TAG, link);
      int linkOrdinal = in.readUnsignedByte();
      if (linkOrdinal >= ScoringModel.Link.values().length) throw malformed(link, "an unknown link function " + linkOrdinal);
      ScoringModel.Link kind = ScoringModel.Link.values()[linkOrdinal];
      boolean logistic = in.readBoolean();
      SigmoidPolynomial sigmoid = logistic ? new SigmoidPolynomial(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readUTF()) : null;
      int features = in.readInt();
      int scaleBits = in.readInt();
      if (features < 1 || features > MAX_FEATURES) throw malformed(link, features + " features");
      int probeCount = in.readInt();
      if (probeCount < 0 || probeCount > MAX_PROBES) throw malformed(link, probeCount + " probe rows");
      double[][] probes = new double[probeCount][features];
      for (double[] row : probes) for (int j = 0; j < features; j++) row[j] = in.readDouble();
      if (in.available() != 0) throw malformed(link, "trailing bytes after the model header");
      SealBytes params = receiveObject(link, SealBytes.Kind.PARAMETERS);
      SealBytes pk = receiveObject(link, SealBytes.Kind.PUBLIC_KEY);
      SealBytes rk = logistic ? receiveObject(link, SealBytes.Kind.RELIN_KEYS) : null;
      List<SealBytes> weights = new ArrayList<>();
      for (int j = 0; j <= features; j++) weights.add(receiveObject(link, SealBytes.Kind.CIPHERTEXT));
      return new EncryptedModel(kind, sigmoid, features, scaleBits, params, pk, rk, weights, probes);
    } catch (IOException e) {
      throw malformed(link, "a model header that ends early");
    }
  }

  // ---- encrypted scores ----

  static byte[] scoresHeader(EncryptedScores s) {
    return write(out -> {
      out.writeUTF(SCORES_TAG);
      out.write(s.keyId().bytes());
      out.write(s.modelDigest().bytes());
      out.writeInt(s.rows());
      out.writeInt(s.rowsPerBlock());
      out.writeInt(s.probes());
      out.writeDouble(s.noiseAmplitude());
      out.writeInt(s.blocks().size());
    });
  }

  static Digest scoresDigest(EncryptedScores s) {
    return digest(scoresHeader(s), s.blocks());
  }

  static void sendScores(PeerLink link, EncryptedScores s) {
    link.send(scoresHeader(s));
    for (SealBytes b : s.blocks()) sendObject(link, b);
  }

  static EncryptedScores receiveScores(PeerLink link) {
    DataInputStream in = reader(link.receive());
    try {
      expectTag(in, SCORES_TAG, link);
      Digest keyId = Digest.of(in.readNBytes(32));
      Digest model = Digest.of(in.readNBytes(32));
      int rows = in.readInt();
      int perBlock = in.readInt();
      int probes = in.readInt();
      double noise = in.readDouble();
      int count = in.readInt();
      if (count < 1 || count > MAX_BLOCKS) throw malformed(link, count + " score blocks");
      if (in.available() != 0) throw malformed(link, "trailing bytes after the scores header");
      List<SealBytes> blocks = new ArrayList<>();
      for (int i = 0; i < count; i++) blocks.add(receiveObject(link, SealBytes.Kind.CIPHERTEXT));
      return new EncryptedScores(keyId, model, rows, perBlock, probes, noise, blocks);
    } catch (IOException e) {
      throw malformed(link, "a scores header that ends early");
    }
  }

  // ---- encrypted aggregation ----

  static void sendKeys(PeerLink link, AggregationKeys k) {
    link.send(write(out -> {
      out.writeUTF("covenant-he-aggregation-keys-v1");
      out.writeInt(k.scaleBits());
      out.writeInt(k.length());
      out.writeInt(k.maxContributors());
    }));
    sendObject(link, k.parameters());
    sendObject(link, k.publicKey());
  }

  static AggregationKeys receiveKeys(PeerLink link) {
    DataInputStream in = reader(link.receive());
    try {
      expectTag(in, "covenant-he-aggregation-keys-v1", link);
      int scaleBits = in.readInt();
      int length = in.readInt();
      int max = in.readInt();
      return new AggregationKeys(receiveObject(link, SealBytes.Kind.PARAMETERS), scaleBits, receiveObject(link, SealBytes.Kind.PUBLIC_KEY), length, max);
    } catch (IOException e) {
      throw malformed(link, "aggregation keys that end early");
    }
  }

  static void sendContribution(PeerLink link, EncryptedContribution c) {
    link.send(write(out -> {
      out.writeUTF("covenant-he-contribution-v1");
      out.writeUTF(c.owner().value());
      out.writeInt(c.length());
      out.writeInt(c.chunks().size());
    }));
    for (SealBytes b : c.chunks()) sendObject(link, b);
  }

  static EncryptedContribution receiveContribution(PeerLink link) {
    DataInputStream in = reader(link.receive());
    try {
      expectTag(in, "covenant-he-contribution-v1", link);
      io.covenant.core.id.OrgId owner = io.covenant.core.id.OrgId.of(in.readUTF());
      if (!owner.equals(link.peer())) throw malformed(link, "a contribution labelled as " + owner + "'s");
      int length = in.readInt();
      int count = in.readInt();
      if (count < 1 || count > MAX_BLOCKS) throw malformed(link, count + " contribution ciphertexts");
      List<SealBytes> chunks = new ArrayList<>();
      for (int i = 0; i < count; i++) chunks.add(receiveObject(link, SealBytes.Kind.CIPHERTEXT));
      return new EncryptedContribution(owner, length, chunks);
    } catch (IOException e) {
      throw malformed(link, "a contribution that ends early");
    }
  }

  static void sendTotal(PeerLink link, EncryptedTotal t) {
    link.send(write(out -> {
      out.writeUTF("covenant-he-total-v1");
      out.writeInt(t.length());
      out.writeInt(t.contributors().size());
      for (int i = 0; i < t.contributors().size(); i++) {
        out.writeUTF(t.contributors().get(i).value());
        out.write(t.inputDigests().get(i).bytes());
      }
      out.writeInt(t.chunks().size());
    }));
    for (SealBytes b : t.chunks()) sendObject(link, b);
  }

  static EncryptedTotal receiveTotal(PeerLink link) {
    DataInputStream in = reader(link.receive());
    try {
      expectTag(in, "covenant-he-total-v1", link);
      int length = in.readInt();
      int n = in.readInt();
      if (n < 1 || n > MAX_BLOCKS) throw malformed(link, n + " contributors");
      List<io.covenant.core.id.OrgId> who = new ArrayList<>();
      List<Digest> digests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        who.add(io.covenant.core.id.OrgId.of(in.readUTF()));
        digests.add(Digest.of(in.readNBytes(32)));
      }
      int count = in.readInt();
      if (count < 1 || count > MAX_BLOCKS) throw malformed(link, count + " total ciphertexts");
      List<SealBytes> chunks = new ArrayList<>();
      for (int i = 0; i < count; i++) chunks.add(receiveObject(link, SealBytes.Kind.CIPHERTEXT));
      return new EncryptedTotal(length, who, digests, chunks);
    } catch (IOException e) {
      throw malformed(link, "a total that ends early");
    }
  }

  // ---- shared ----

  static void sendObject(PeerLink link, SealBytes b) {
    byte[] body = b.bytes();
    byte[] frame = new byte[body.length + 1];
    frame[0] = (byte) b.kind().ordinal();
    System.arraycopy(body, 0, frame, 1, body.length);
    link.send(frame);
  }

  static SealBytes receiveObject(PeerLink link, SealBytes.Kind expected) {
    byte[] frame = link.receive();
    if (frame.length < 2 || frame[0] != expected.ordinal()) {
      throw malformed(link, "a frame that is not SEAL " + expected + " bytes where those were expected");
    }
    return new SealBytes(expected, java.util.Arrays.copyOfRange(frame, 1, frame.length));
  }

  static Digest digest(byte[] header, List<SealBytes> objects) {
    MessageDigest md = io.covenant.core.crypto.FixedAlgorithms.heObjectDigest();
    md.update(header);
    for (SealBytes o : objects) {
      md.update((byte) o.kind().ordinal());
      md.update(o.digest().bytes());
    }
    return Digest.of(md.digest());
  }

  private static void expectTag(DataInputStream in, String tag, PeerLink link) throws IOException {
    String got = in.readUTF();
    if (!tag.equals(got)) throw malformed(link, "'" + got + "' where '" + tag + "' was expected");
  }

  private static MalformedInputException malformed(PeerLink link, String what) {
    return new MalformedInputException(link.peer() + " sent " + what + " to " + link.self() + ": it runs another protocol step or an incompatible version; the computation stops");
  }

  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      body.write(out);
    } catch (IOException e) {
      throw new AssertionError("writing to memory cannot fail", e);
    }
    return b.toByteArray();
  }

  static DataInputStream reader(byte[] frame) {
    return new DataInputStream(new ByteArrayInputStream(frame));
  }
}
