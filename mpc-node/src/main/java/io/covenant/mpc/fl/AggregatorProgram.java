package io.covenant.mpc.fl;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.model.Model;
import io.covenant.mpc.fl.privacy.RdpAccountant;
import io.covenant.mpc.fl.secagg.DroppedHospital;
import io.covenant.mpc.fl.secagg.SecureAggregationAbortedException;
import io.covenant.mpc.fl.secagg.SecureAggregationServer;
import io.covenant.mpc.fl.secagg.SecureSum;
import io.covenant.mpc.fl.wire.FrameReader;
import io.covenant.mpc.fl.wire.FrameWriter;
import io.covenant.mpc.fl.wire.MessageKind;
import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The aggregator's program in a federated job: the coordinator's (or a named node's) side, with one link per hospital.
 * Each round it sends the global model, collects joins and refusals, obtains the sum of the joined hospitals' updates
 * (from secure aggregation, or in the clear if the job says so), and moves the global model by the weighted mean
 * update (FedAvg's server step with server learning rate 1, McMahan et al. 2017). Under secure aggregation it learns
 * the sum and who contributed, nothing per hospital.
 *
 * <p>A hospital whose link fails is named in that round's record and left out of the later rounds. A round that
 * cannot gather the threshold t of the job's hospitals, or whose secure aggregation loses more hospitals than the
 * tolerance mid-round, ends the job early: the result keeps the last completed round's model and says why, naming the
 * hospitals that dropped and the step; the remaining hospitals get that model.
 */
public final class AggregatorProgram {
  private final FlJobSpec spec;
  private final FlRoster roster;
  private final Map<OrgId, PeerLink> links;
  private final int featureCount;
  private Consumer<FlRoundRecord> onRound = r -> {};
  private java.util.function.BiConsumer<FlRoundRecord, double[]> onRoundModel = (r, m) -> {};

  public AggregatorProgram(FlJobSpec spec, FlRoster roster, Map<OrgId, PeerLink> linksToHospitals, int featureCount) {
    for (OrgId h : roster.hospitals()) {
      PeerLink l = linksToHospitals.get(h);
      if (l == null) throw new MalformedInputException("the aggregator has no link to " + h + ", one of the job's hospitals; connect every hospital first");
      if (!l.peer().equals(h) || !l.self().equals(roster.aggregator())) {
        throw new MalformedInputException("the link given for " + h + " joins " + l.self() + " to " + l.peer() + "; it must join " + roster.aggregator() + " to " + h);
      }
    }
    if (featureCount < 1) throw new MalformedInputException("the job's data needs at least one feature; got " + featureCount);
    this.spec = spec;
    this.roster = roster;
    this.links = Map.copyOf(linksToHospitals);
    this.featureCount = featureCount;
  }

  /** Called after each round, e.g. to print a live table or append to the ledger. */
  public AggregatorProgram onRound(Consumer<FlRoundRecord> listener) {
    this.onRound = listener;
    return this;
  }

  /**
   * Called after each round with the new global model too (a copy): what every remaining hospital receives at the next
   * round's start anyway, e.g. for the consumer to follow the training's course.
   */
  public AggregatorProgram onRoundModel(java.util.function.BiConsumer<FlRoundRecord, double[]> listener) {
    this.onRoundModel = listener;
    return this;
  }

  public FlJobResult run() {
    Model model = spec.model().over(featureCount);
    UpdateEncoding encoding = new UpdateEncoding(model.parameterCount(), !spec.differentiallyPrivate());
    double[] global = model.initialParameters(spec.seed());
    int threshold = spec.threshold(roster.size());
    List<OrgId> active = new ArrayList<>(roster.hospitals());
    List<FlRoundRecord> records = new ArrayList<>();
    RdpAccountant accountant = new RdpAccountant();
    Optional<String> stopped = Optional.empty();

    for (int round = 1; round <= spec.rounds(); round++) {
      List<DroppedHospital> dropped = new ArrayList<>();
      List<DeclinedHospital> declined = new ArrayList<>();
      byte[] start = FrameWriter.of(MessageKind.ROUND_START, 8 * global.length + 8).putInt(round).putDoubles(global).toBytes();
      Map<OrgId, PeerLink> joined = new LinkedHashMap<>();
      for (OrgId h : active) {
        try {
          links.get(h).send(start);
        } catch (PeerLinkException e) {
          dropped.add(new DroppedHospital(h, "round start", e.getMessage()));
        }
      }
      for (OrgId h : active) {
        if (isDropped(dropped, h)) continue;
        try {
          FrameReader m = FrameReader.open(h, links.get(h).receive(), MessageKind.JOIN, MessageKind.DECLINE);
          int r = m.getInt();
          if (r != round) throw new PeerLinkException(h, PeerLinkException.Reason.MALFORMED, h + " answered for round " + r + " during round " + round);
          if (m.kind() == MessageKind.JOIN) {
            m.end();
            joined.put(h, links.get(h));
          } else {
            String reason = m.getString();
            m.end();
            declined.add(new DeclinedHospital(h, reason));
          }
        } catch (PeerLinkException e) {
          dropped.add(new DroppedHospital(h, "join", e.getMessage()));
        }
      }
      if (joined.size() < threshold) {
        active.removeIf(h -> isDropped(dropped, h) || declined.stream().anyMatch(d -> d.hospital().equals(h)));
        dropped.forEach(d -> links.get(d.hospital()).close());
        stopped = Optional.of(notEnough(round, joined.size(), threshold, dropped, declined));
        if (spec.secureAggregation()) SecureAggregationServer.cancel(round, joined.values(), stopped.get());
        break;
      }

      long[] sum;
      List<OrgId> participants;
      if (spec.secureAggregation()) {
        SecureSum s;
        try {
          s = new SecureAggregationServer(roster.hospitals(), threshold).aggregate(round, joined, encoding.length());
        } catch (SecureAggregationAbortedException e) {
          // The round cannot be unmasked: the job stops with the last completed round's model, naming who dropped.
          e.dropped().forEach(d -> links.get(d.hospital()).close());
          active.removeIf(h -> isDropped(e.dropped(), h) || isDropped(dropped, h) || declined.stream().anyMatch(d -> d.hospital().equals(h)));
          stopped = Optional.of(e.getMessage());
          break;
        }
        sum = s.sum();
        participants = s.contributors();
        dropped.addAll(s.dropped());
      } else {
        sum = new long[encoding.length()];
        participants = new ArrayList<>();
        for (Map.Entry<OrgId, PeerLink> e : joined.entrySet()) {
          try {
            FrameReader m = FrameReader.open(e.getKey(), e.getValue().receive(), MessageKind.PLAIN_UPDATE);
            m.getInt();
            long[] v = m.getLongs();
            m.end();
            if (v.length != sum.length) {
              throw new PeerLinkException(e.getKey(), PeerLinkException.Reason.MALFORMED, e.getKey() + " sent an update of " + v.length + " entries where "
                  + sum.length + " were expected");
            }
            sum = Ring64.add(sum, v);
            participants.add(e.getKey());
          } catch (PeerLinkException ex) {
            dropped.add(new DroppedHospital(e.getKey(), "plain update", ex.getMessage()));
          }
        }
      }
      for (DroppedHospital d : dropped) links.get(d.hospital()).close();
      active.removeIf(h -> isDropped(dropped, h) || declined.stream().anyMatch(d -> d.hospital().equals(h)));

      UpdateEncoding.Aggregate a = encoding.decode(sum);
      if (!(a.weightSum() > 0)) {
        stopped = Optional.of("round " + round + " gathered no update with a positive weight; the job stops");
        break;
      }
      double[] mean = a.meanUpdate();
      for (int i = 0; i < global.length; i++) global[i] += mean[i];
      double epsilon = Double.POSITIVE_INFINITY;
      if (spec.differentiallyPrivate()) epsilon = accountant.compose(1.0, spec.noiseMultiplier(), 1).spent(spec.delta()).epsilon();
      FlRoundRecord rec = new FlRoundRecord(round, participants, dropped, declined, ModelDigest.ofModel(spec.suite(), global), ModelDigest.ofAggregate(spec.suite(), sum),
          a.loss(), a.auc(), epsilon);
      records.add(rec);
      onRound.accept(rec);
      onRoundModel.accept(rec, global.clone());
    }

    byte[] finish = FrameWriter.of(MessageKind.FINISH, 8 * global.length).putDoubles(global).toBytes();
    for (OrgId h : active) {
      try {
        links.get(h).send(finish);
      } catch (PeerLinkException e) {
        // The job is over; a hospital that left now simply does not get the final model over this link.
      }
    }
    Digest finalHash = ModelDigest.ofModel(spec.suite(), global);
    return new FlJobResult(spec, records, global, finalHash, stopped);
  }

  private static boolean isDropped(List<DroppedHospital> dropped, OrgId h) {
    return dropped.stream().anyMatch(d -> d.hospital().equals(h));
  }

  private static String notEnough(int round, int joined, int threshold, List<DroppedHospital> dropped, List<DeclinedHospital> declined) {
    StringBuilder s = new StringBuilder("round " + round + " stopped the job: " + joined + " hospital(s) joined, fewer than the " + threshold
        + " the job's dropout tolerance requires");
    if (!declined.isEmpty()) {
      s.append("; declined: ");
      for (DeclinedHospital d : declined) s.append(d.hospital()).append(" (").append(d.reason()).append(") ");
    }
    if (!dropped.isEmpty()) s.append("; dropped: ").append(dropped);
    return s.toString().trim();
  }
}
