package io.covenant.coordinator.http;

import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The organisation at the other end of a mutual-TLS request, as its consortium certificate names it, with the roles
 * the certificate carries ({@code urn:covenant:role:*}, issued by the consortium's CA, so a member cannot grant
 * itself a role). When the API is served without TLS there is no caller ({@code Optional.empty()}) and none of these
 * rules apply: every write still has to carry its organisation's signature.
 *
 * <p>The rules, one method each (docs/api.md has them as a table):
 * <ul>
 *   <li>a member acts only for itself: a signed event, submission or approval must be signed by the caller
 *       ({@link #mustBe});
 *   <li>only a dataset's owner, enrolled as an owner, publishes, revokes and approves for it ({@link #mustOwn});
 *   <li>a job is seen by its consumer, by the owners of its datasets, by auditors and by the operator
 *       ({@link #sees}); everyone else is told it may not see it; its sealed result is fetched by its consumer,
 *       auditors and the operator only ({@link #mustFetchResult});
 *   <li>submitting a job needs the consumer role ({@link #mustConsume});
 *   <li>datasets, policies, blocks and the ledger's entries, checkpoint and proofs are read by every member.
 * </ul>
 */
record Caller(OrgId org, Set<OrgRole> roles, boolean operator) {
  /** The operator's role in its certificate (ORG_REGISTERED's "operator"). */
  static final String OPERATOR_ROLE = "operator";

  Caller {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The roles named in a certificate (data-owner, data-consumer, auditor, operator); names this API does not know grant nothing. */
  static Caller of(OrgId org, List<String> certificateRoles) {
    Set<OrgRole> roles = EnumSet.noneOf(OrgRole.class);
    boolean operator = false;
    for (String r : certificateRoles) {
      if (r.equals(OPERATOR_ROLE)) {
        operator = true;
        continue;
      }
      try {
        roles.add(OrgRole.parse(r));
      } catch (RuntimeException unknownRole) {
        // A role of a later version (a TEE worker's, say) grants nothing here.
      }
    }
    return new Caller(org, roles, operator);
  }

  /** Refuses a caller acting for {@code actor}: a member signs and records only its own acts. */
  static void mustBe(Optional<Caller> caller, OrgId actor, String what) {
    if (caller.isPresent() && !caller.get().org().equals(actor)) {
      throw new CallerForbiddenException(caller.get().org() + " may not send " + what + " signed by " + actor
          + ": a member records only its own acts, over its own certificate; " + actor + " sends it itself");
    }
  }

  /** Refuses a caller who is not {@code owner} enrolled as a data owner. */
  static void mustOwn(Optional<Caller> caller, OrgId owner, String what) {
    if (caller.isEmpty()) return;
    Caller c = caller.get();
    if (!c.org().equals(owner)) {
      throw new CallerForbiddenException(c.org() + " may not " + what + ": only its owner " + owner + " may, over its own certificate");
    }
    if (!c.roles().contains(OrgRole.OWNER)) {
      throw new CallerForbiddenException(c.org() + " may not " + what + ": its certificate does not carry the owner role; "
          + "the consortium's CA enrols data owners with --role owner");
    }
  }

  /** Refuses a caller not enrolled as a data consumer. */
  static void mustConsume(Optional<Caller> caller, String what) {
    if (caller.isPresent() && !caller.get().roles().contains(OrgRole.CONSUMER)) {
      throw new CallerForbiddenException(caller.get().org() + " may not " + what + ": its certificate does not carry the consumer role; "
          + "the consortium's CA enrols data consumers with --role consumer");
    }
  }

  /** Whether the caller may see this job: its consumer, an owner of one of its datasets, an auditor or the operator. */
  static boolean sees(Optional<Caller> caller, JobRecord job) {
    if (caller.isEmpty()) return true;
    Caller c = caller.get();
    if (c.operator() || c.roles().contains(OrgRole.AUDITOR)) return true;
    if (job.request().consumer().equals(c.org())) return true;
    return c.roles().contains(OrgRole.OWNER) && job.request().datasets().stream().map(DatasetVersion::owner).anyMatch(c.org()::equals);
  }

  /** Refuses a caller who may not fetch the job's sealed result: only its consumer, auditors and the operator may. */
  static void mustFetchResult(Optional<Caller> caller, JobRecord job) {
    if (caller.isEmpty()) return;
    Caller c = caller.get();
    if (c.operator() || c.roles().contains(OrgRole.AUDITOR) || job.request().consumer().equals(c.org())) return;
    throw new CallerForbiddenException(c.org() + " may not fetch the result of " + job.request().id() + ": it is its consumer's, "
        + job.request().consumer() + "'s (auditors and the operator may fetch it sealed, to check its hash)");
  }

  /** Refuses a caller who may not see this job, without saying more about the job than its id. */
  static void mustSee(Optional<Caller> caller, JobRecord job) {
    if (!sees(caller, job)) {
      throw new CallerForbiddenException(caller.orElseThrow().org() + " may not see job " + job.request().id()
          + ": a job is seen by its consumer, the owners of its datasets, auditors and the operator");
    }
  }
}
