package io.covenant.mpc.spdz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.policy.OutputControls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The attack: an owner's node (hospital-b) sends the consumer a wrong share of a value being opened in the online
 * phase (one bit of one frame changed: a share, a MAC or an opened value, whichever that frame carries). SPDZ's MAC
 * check (or the broadcast check of an input) catches it before any output is opened: the consumer's node aborts with
 * {@link MaliciousPartyException}, which names the node that detected it and the parties among which the cheater is
 * (hospital-b among them), and no party returns a result. Without the MAC check the altered value would flow into the
 * released sum unnoticed, as it does under the semi-honest engine ({@code TamperedShareGoesUndetectedUnderSemiHonest}).
 */
class TamperedOpeningAbortsTheSpdzRun {
  @Test
  void aTamperedOnlineFrameAbortsTheRunAndNothingIsReleased() {
    SecureAggregateQuery query = SecureAggregateQuery.compile(SpdzAggregateMatchesThePlainQuery.SQL, OutputControls.cohortOnly(5));
    int g = query.groups();
    int length = (query.measurements().size() + 1) * g;
    Map<OrgId, long[]> contributions = Map.of(SpdzParties.A, SpdzAggregateMatchesThePlainQuery.contribution(length, g, 1),
        SpdzParties.B, SpdzAggregateMatchesThePlainQuery.contribution(length, g, 2));
    var outcomes = SpdzParties.run(SpdzAggregateMatchesThePlainQuery.PARTIES, (party, links) -> {
      // hospital-b's node alters the 6th frame it sends the insurer's node in the online phase (after the inputs).
      if (party.equals(SpdzParties.B)) links.put(SpdzParties.INSURER, new AlteringLink(links.get(SpdzParties.INSURER), 6));
      return links;
    }, networks -> SpdzAggregateProgram.run(networks, SpdzAggregateMatchesThePlainQuery.OWNERS, SpdzParties.INSURER, query,
        contributions.get(networks.party(networks.selfId())), Duration.ofMinutes(10)));
    for (var o : outcomes) {
      assertNull(o.value(), o.party() + " must not finish: " + o.value());
      assertNotNull(o.failure(), o.party().toString());
    }
    var insurer = outcomes.stream().filter(o -> o.party().equals(SpdzParties.INSURER)).findFirst().orElseThrow();
    MaliciousPartyException caught = assertInstanceOf(MaliciousPartyException.class, insurer.failure(), "the consumer's node detects it: " + insurer.failure());
    assertEquals(SpdzParties.INSURER, caught.detectedBy());
    assertTrue(caught.suspects().contains(SpdzParties.B), caught.getMessage());
    assertTrue(caught.getMessage().contains("no result was opened") && caught.getMessage().contains("hospital-b"), caught.getMessage());
  }

  /** A link that flips the lowest bit of the last byte of the n-th frame it sends on the online channel. */
  static final class AlteringLink implements PeerLink {
    private final PeerLink link;
    private final int target;
    private int online;

    AlteringLink(PeerLink link, int target) {
      this.link = link;
      this.target = target;
    }

    @Override
    public io.covenant.core.id.OrgId self() {
      return link.self();
    }

    @Override
    public io.covenant.core.id.OrgId peer() {
      return link.peer();
    }

    @Override
    public void send(byte[] frame) {
      if (frame.length > 1 && frame[0] == LinkNetworks.ONLINE && ++online == target) {
        frame = frame.clone();
        frame[frame.length - 1] ^= 1;
      }
      link.send(frame);
    }

    @Override
    public byte[] receive() {
      return link.receive();
    }

    @Override
    public void close() {
      link.close();
    }
  }
}
