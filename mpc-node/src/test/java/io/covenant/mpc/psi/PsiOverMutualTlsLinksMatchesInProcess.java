package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.transport.TestConsortium;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PSI parties of two organisations, each on its own mutual-TLS peer link end presenting its own certificate, find
 * exactly the rows they find over in-process links, which are the rows of a plaintext join.
 */
class PsiOverMutualTlsLinksMatchesInProcess {
  private static final TestConsortium CONSORTIUM = TestConsortium.create("PSI over TLS");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void intersectionOverTlsEqualsTheInProcessOne(PsiProtocol protocol) {
    SplittableRandom rnd = new SplittableRandom(17);
    int n = protocol == PsiProtocol.KKRT16 ? 3000 : 600;
    List<String> insurer = IntersectionMatchesPlaintextJoin.randomIds(rnd, n, 4 * n);
    List<String> hospital = IntersectionMatchesPlaintextJoin.randomIds(rnd, n, 4 * n);
    PsiJob job = IntersectionMatchesPlaintextJoin.job(protocol, Delivery.BOTH);

    var overTls = TwoParties.run(CONSORTIUM.tlsPair(TwoParties.INSURER, TwoParties.HOSPITAL, TIMEOUT),
        l -> PsiParty.intersect(job, PsiRole.RECEIVER, IdSource.of(insurer), l),
        l -> PsiParty.intersect(job, PsiRole.SENDER, IdSource.of(hospital), l));
    var inProcess = TwoParties.intersect(job, insurer, hospital);

    assertArrayEquals(TwoParties.rows(inProcess.receiver()), TwoParties.rows(overTls.receiver()));
    assertArrayEquals(TwoParties.rows(inProcess.sender()), TwoParties.rows(overTls.sender()));
    assertArrayEquals(IntersectionMatchesPlaintextJoin.plaintextRows(insurer, hospital), TwoParties.rows(overTls.receiver()));
  }
}
