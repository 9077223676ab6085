package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.identity.OrgCertificate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Date;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;

/**
 * An organisation certifies itself: a well-formed certificate (CN=hospital-a, its role, its own key, valid now),
 * signed by its own key instead of the consortium's CA. Verify refuses the registration, naming the pinned root.
 */
class SelfSignedCertificateFailsVerify {
  @Test
  void aSelfSignedCertificateDoesNotChainToTheRoot() throws Exception {
    CertifiedConsortium c = new CertifiedConsortium();
    SigningKey own = c.s.hospitalA.signingKey();
    X500Name name = new X500Name("CN=hospital-a");
    var b = new X509v3CertificateBuilder(name, BigInteger.TEN, Date.from(CertifiedConsortium.ISSUED),
        Date.from(CertifiedConsortium.ISSUED.plusSeconds(86_400L * 365)), name,
        new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), own.verifyingKey().bytes()));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, OrgCertificate.ROLE_URI_PREFIX + "member")));
    OrgCertificate selfSigned = OrgCertificate.fromDer(b.build(signer(own)).getEncoded());
    assertTrue(selfSigned.signedBy(own.verifyingKey()), "the forged certificate must at least be a valid self-signed one");

    var report = c.verify(c.setupWith(c.register(c.s.hospitalA, "member", selfSigned, 0)));
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("does not chain to the pinned consortium root") && why.contains("self-signed"), why);
  }

  private static ContentSigner signer(SigningKey key) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    return new ContentSigner() {
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
      }

      public OutputStream getOutputStream() {
        return buffer;
      }

      public byte[] getSignature() {
        return key.sign(buffer.toByteArray()).bytes();
      }
    };
  }
}
