package io.covenant.node.partyjob;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.JobRequest;
import io.covenant.mpc.transport.Committee;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the coordinator asks of a committee member for a multi-party job, in two steps: {@link Prepare} (here is the
 * job, the policies it was authorised under and the committee: check it, then open a party endpoint) and {@link Run}
 * (here are the three endpoints: compute). The node believes none of it without the ledger: the job, its
 * computation hash, the policies' hashes and its own authorisation are checked against its own verified mirror.
 */
public final class PartyJobRequest {
  private PartyJobRequest() {}

  public static final String PREPARE = "/v1/party-jobs/prepare";
  public static final String RUN = "/v1/party-jobs/run";

  /**
   * Step 1: the job as submitted, each input policy's JSON text, and the seats in order: three for a committee
   * computing on shares, two for a private set intersection (the receiver, then the sender), and for a malicious-secure
   * query the input owners then the consumer (two to four).
   */
  public record Prepare(JobRequest job, List<String> policies, List<OrgId> seats) {
    public Prepare {
      if (job == null || policies == null || seats == null) throw new MalformedInputException("a party job needs the job, its policies and its seats");
      if (seats.size() < 2 || seats.size() > 4) {
        throw new MalformedInputException("a party job has two seats (an intersection), three (a committee) or, for a malicious-secure query, two to four "
            + "(the owners and the consumer), got " + seats.size());
      }
      policies = List.copyOf(policies);
      seats = List.copyOf(seats);
    }

    public Prepare(JobRequest job, List<String> policies, Committee committee) {
      this(job, policies, committee.members());
    }

    /** The three-party committee these seats form. */
    public Committee committee() {
      return new Committee(seats);
    }

    public Json.JObject toJson() {
      return Json.obj("job", job.toJson(), "policies", policies, "committee", seats.stream().map(OrgId::value).toList());
    }

    public static Prepare fromJson(Json.JObject o) {
      return new Prepare(JobRequest.fromJson(o.object("job")), o.strings("policies"), o.strings("committee").stream().map(OrgId::new).toList());
    }
  }

  /** Step 2: every seat's party endpoint, in seat order. */
  public record Run(JobId job, List<InetSocketAddress> endpoints) {
    public Run {
      if (job == null || endpoints == null || endpoints.size() < 2 || endpoints.size() > 4) throw new MalformedInputException("a party job starts with every seat's endpoint (two to four)");
      endpoints = List.copyOf(endpoints);
    }

    public Json.JObject toJson() {
      return Json.obj("job", job.value(), "endpoints", endpoints.stream().map(PartyJobRequest::text).toList());
    }

    public static Run fromJson(Json.JObject o) {
      return new Run(new JobId(o.string("job")), o.strings("endpoints").stream().map(PartyJobRequest::address).toList());
    }
  }

  /** host:port, as a node reports the endpoint it listens on. */
  public static String text(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  public static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) throw new MalformedInputException("endpoint '" + text + "' is not host:port");
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      throw new MalformedInputException("endpoint '" + text + "' has no valid port");
    }
  }
}
