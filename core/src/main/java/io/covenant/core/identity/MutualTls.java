package io.covenant.core.identity;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One organisation's end of mutual TLS between the consortium's processes (coordinator, organisation nodes, TEE
 * worker, party peers): TLS 1.3 only (RFC 8446), each side presenting its consortium certificate
 * ({@link CertificateAuthority}) and its Ed25519 signing key (RFC 8446 §4.2.3 {@code ed25519}; RFC 8410 keys in
 * X.509), and accepting only a peer whose certificate chains to the pinned {@link ConsortiumRoot}, is valid now, names
 * an organisation, and is not revoked. Under the national suite (SM2 keys) each side presents instead a transport
 * certificate its SM2 key signed, carrying its SM2 consortium certificate ({@link TransportCredential}: RFC 8998's TLS
 * with ShangMi is not available to Covenant), and the same rules apply to the SM2 certificate it carries.
 *
 * <p>A peer is identified by the organisation its certificate names, not by a host name: nodes move between hosts and
 * ports, and what a node must know is which organisation it talks to. So the trust manager checks the chain itself
 * (root → organisation, the only path this consortium issues) and host-name verification is not used; callers that
 * expect a particular organisation check {@link #peerOf(SSLSession)}. TLS 1.3's CertificateVerify signs the handshake
 * transcript under its own context string (RFC 8446 §4.4.3), so using the organisation's ledger-signing key in TLS
 * cannot yield a signature that verifies as a ledger event.
 */
public final class MutualTls {
  public static final String PROTOCOL = "TLSv1.3";
  private static final String KEY_STORE = "PKCS12";
  private static final String KEY_MANAGER = "SunX509";
  private static final byte[] ED25519_PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

  private final OrgId self;
  private final OrgCertificate certificate;
  private final SSLContext context;

  private MutualTls(OrgId self, OrgCertificate certificate, SSLContext context) {
    this.self = self;
    this.certificate = certificate;
    this.context = context;
  }

  /**
   * The TLS identity of {@code self}: its signing key and the certificate the consortium issued for it, trusting only
   * peers certified by {@code root} whose certificate fingerprint {@code revoked} does not reject at the time of the
   * handshake.
   */
  public static MutualTls of(OrgId self, SigningKey key, OrgCertificate certificate, ConsortiumRoot root, Predicate<Digest> revoked, Clock clock) {
    if (self == null || key == null || certificate == null || root == null || revoked == null || clock == null) {
      throw new MalformedInputException("mutual TLS needs the organisation, its signing key, its certificate, the consortium root, a revocation check and a clock");
    }
    root.problemWith(certificate, self, key.verifyingKey(), clock.instant()).ifPresent(p -> {
      throw new CovenantException(self + " cannot speak mutual TLS: " + p + "; enrol it again with './covenant org enrol'");
    });
    try {
      X509Certificate[] chain;
      PrivateKey tlsKey;
      if (key.suite().isNational()) {
        // No TLS stack Covenant can use presents SM2 certificates (TransportCredential says why): a fresh Ed25519 key,
        // certified by the organisation's SM2 key, carries the handshake; peers check it against the SM2 root.
        SigningKey transport = SigningKey.generate();
        chain = new X509Certificate[] {x509(TransportCredential.issue(key, certificate, transport, clock.instant()))};
        tlsKey = privateKey(transport);
      } else {
        chain = new X509Certificate[] {x509(certificate), x509(root.certificate())};
        tlsKey = privateKey(key);
      }
      return new MutualTls(self, certificate, context(tlsKey, chain, root, revoked, clock));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CovenantException("cannot set up mutual TLS for " + self + ": " + e.getMessage(), e);
    }
  }

  /** A TLS 1.3 context presenting {@code chain} with {@code tlsKey} and trusting what {@link ConsortiumTrust} admits. */
  private static SSLContext context(PrivateKey tlsKey, X509Certificate[] chain, ConsortiumRoot root, Predicate<Digest> revoked, Clock clock)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance(KEY_STORE);
    ks.load(null, null);
    char[] transientPassword = new char[0];
    ks.setKeyEntry("self", tlsKey, transientPassword, chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KEY_MANAGER);
    kmf.init(ks, transientPassword);
    SSLContext ctx = SSLContext.getInstance(PROTOCOL);
    ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new ConsortiumTrust(root, revoked, clock)}, new SecureRandom());
    return ctx;
  }

  /**
   * For tests of what peers refuse: an endpoint presenting an arbitrary {@code transportCertificate} for {@code transportKey},
   * without the checks {@link #of} makes on its own identity.
   */
  static MutualTls presenting(OrgId self, OrgCertificate claimed, OrgCertificate transportCertificate, SigningKey transportKey, ConsortiumRoot root,
      Clock clock) throws GeneralSecurityException, java.io.IOException {
    return new MutualTls(self, claimed, context(privateKey(transportKey), new X509Certificate[] {x509(transportCertificate)}, root, d -> false, clock));
  }

  /**
   * What the transport's own primitives are under {@code suite}: the national suite's identities ride on an
   * international TLS 1.3 transport ({@link TransportCredential}), and every process says so when it starts.
   */
  public static String transportOf(io.covenant.core.crypto.CryptoSuite suite) {
    return suite.isNational()
        ? "TLS 1.3 with international primitives (Ed25519 handshake signatures, ECDHE, AES-GCM), each side's Ed25519 transport key certified by its SM2 "
            + "key (SM3withSM2) and its SM2 certificate chained to the SM2 root: RFC 8998's national TLS is not available (docs/crypto-suite.md, \"TLS\")"
        : "TLS 1.3, Ed25519 certificates chained to the consortium root";
  }

  public OrgId self() {
    return self;
  }

  /** The consortium's crypto suite, as this organisation's certificate carries it. */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return certificate.subjectKey().map(io.covenant.core.crypto.VerifyingKey::suite).orElse(io.covenant.core.crypto.CryptoSuite.INTL);
  }

  public OrgCertificate certificate() {
    return certificate;
  }

  public SSLContext context() {
    return context;
  }

  /** TLS 1.3 only, and (on a server) a client certificate required. */
  public SSLParameters parameters(boolean server) {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    if (server) p.setNeedClientAuth(true);
    return p;
  }

  /** The organisation at the other end of an established session; refuses a session without a consortium certificate. */
  public static OrgId peerOf(SSLSession session) {
    try {
      var chain = session.getPeerCertificates();
      OrgCertificate leaf = OrgCertificate.fromDer(chain[0].getEncoded());
      return leaf.org().orElseThrow(() -> new CovenantException("the peer's certificate names no organisation"));
    } catch (SSLPeerUnverifiedException e) {
      throw new CovenantException("the peer presented no certificate: only consortium members may connect", e);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new CovenantException("the peer's certificate cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The consortium certificate behind the certificate a peer presented in a handshake this class checked: the
   * certificate itself, or under the national suite the SM2 certificate its transport certificate carries. Roles and
   * revocation are read from what this returns.
   */
  public static OrgCertificate consortiumCertificateOf(OrgCertificate presented) {
    return TransportCredential.consortiumCertificateOf(presented).orElse(presented);
  }

  /** The peer's certificate in an established session, as the consortium issued it. */
  public static OrgCertificate peerCertificate(SSLSession session) {
    try {
      return consortiumCertificateOf(OrgCertificate.fromDer(session.getPeerCertificates()[0].getEncoded()));
    } catch (SSLPeerUnverifiedException e) {
      throw new CovenantException("the peer presented no certificate: only consortium members may connect", e);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new CovenantException("the peer's certificate cannot be read: " + e.getMessage(), e);
    }
  }

  static X509Certificate x509(OrgCertificate cert) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert.der()));
  }

  /** The JDK form of an Ed25519 key: RFC 8410 §7 PKCS#8 with the 32-byte seed. The buffer is wiped once the key is built. */
  private static PrivateKey privateKey(SigningKey key) throws GeneralSecurityException {
    byte[] seed = key.seedForKeystore();
    byte[] pkcs8 = Arrays.copyOf(ED25519_PKCS8_PREFIX, ED25519_PKCS8_PREFIX.length + 32);
    System.arraycopy(seed, 0, pkcs8, ED25519_PKCS8_PREFIX.length, 32);
    Arrays.fill(seed, (byte) 0);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "MutualTls[" + self + "]";
  }

  /**
   * Accepts exactly the chains this consortium issues: an organisation's certificate signed by the pinned root, valid
   * now, not a CA, naming an organisation, not revoked. Both directions apply the same rule.
   */
  private static final class ConsortiumTrust extends X509ExtendedTrustManager {
    private final ConsortiumRoot root;
    private final Predicate<Digest> revoked;
    private final Clock clock;

    ConsortiumTrust(ConsortiumRoot root, Predicate<Digest> revoked, Clock clock) {
      this.root = root;
      this.revoked = revoked;
      this.clock = clock;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) throw new CertificateException("the peer presented no certificate: only consortium members may connect");
      OrgCertificate leaf = OrgCertificate.fromDer(chain[0].getEncoded());
      Optional<OrgId> org = leaf.org();
      if (org.isEmpty()) throw new CertificateException("the peer's certificate ('" + leaf.subjectName() + "') names no organisation");
      Optional<String> problem;
      if (root.key().suite().isNational()) {
        switch (TransportCredential.check(leaf, root, clock.instant())) {
          case TransportCredential.Checked.Refused r -> problem = Optional.of(r.problem());
          case TransportCredential.Checked.Accepted a -> {
            problem = Optional.empty();
            leaf = a.consortiumCertificate();
          }
        }
      } else {
        problem = leaf.subjectKey().filter(k -> !k.suite().isNational()).isEmpty()
            ? Optional.of("its certificate is not for an Ed25519 key")
            : root.problemWith(leaf, org.get(), leaf.subjectKey().get(), clock.instant());
      }
      if (problem.isPresent()) throw new CertificateException("peer " + org.get() + " refused: " + problem.get());
      if (revoked.test(leaf.fingerprint())) {
        throw new CertificateException("peer " + org.get() + " refused: its certificate " + leaf.fingerprint().hex().substring(0, 16)
            + "… was revoked by the consortium (ORG_REVOKED on the ledger)");
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      try {
        return new X509Certificate[] {x509(root.certificate())};
      } catch (CertificateException e) {
        return new X509Certificate[0];
      }
    }
  }
}
