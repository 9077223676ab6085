package io.covenant.mpc.engine;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.TestConsortium;
import java.time.Duration;

/** The ways the tests run three parties in one JVM. */
enum Runtimes {
  IN_PROCESS,
  TCP_LOOPBACK,
  TLS_LOOPBACK;

  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("hospital-c"));
  static final TestConsortium CONSORTIUM = TestConsortium.create("Engine tests");

  ThreePartyRuntime start(Duration peerTimeout) {
    return switch (this) {
      case IN_PROCESS -> ThreePartyRuntime.inProcess(COMMITTEE, peerTimeout);
      case TCP_LOOPBACK -> ThreePartyRuntime.overTcpLoopback(COMMITTEE, peerTimeout);
      case TLS_LOOPBACK -> ThreePartyRuntime.overTlsLoopback(COMMITTEE, CONSORTIUM.members(COMMITTEE), peerTimeout);
    };
  }

  ThreePartyRuntime start() {
    return start(Duration.ofSeconds(30));
  }
}
