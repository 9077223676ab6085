package io.covenant.mpc.engine;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.Committee;
import java.time.Duration;

/** The two ways the tests run three parties in one JVM. */
enum Runtimes {
  IN_PROCESS,
  TCP_LOOPBACK;

  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("hospital-c"));

  ThreePartyRuntime start(Duration peerTimeout) {
    return this == IN_PROCESS
        ? ThreePartyRuntime.inProcess(COMMITTEE, peerTimeout)
        : ThreePartyRuntime.overTcpLoopback(COMMITTEE, peerTimeout);
  }

  ThreePartyRuntime start() {
    return start(Duration.ofSeconds(30));
  }
}
