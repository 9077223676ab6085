package io.covenant.policy;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.Context;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.model.schema.Schema;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Finding;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The who-may-do-what part of a policy, compiled to Cedar (cedarpolicy.com; Cutler et al., "Cedar: A New Language for
 * Expressive, Fast, Safe, and Analyzable Authorization", OOPSLA 2024) and decided by Cedar's authorizer.
 *
 * <p>The request is principal {@code Covenant::Org::"<consumer>"}, action {@code Covenant::Action::"compute"},
 * resource {@code Covenant::Dataset::"<owner>/<name>"}, context {@code {purpose, engine, atMillis}} (the request time in
 * milliseconds since the epoch: a Long compares at half the cost of Cedar's datetime extension, which parses its
 * literal on every evaluation; the policy text carries the readable instant as a comment). The policy becomes one
 * unconditional permit and one forbid per term (dataset, assignee, purpose, engine, validity), each with the id of
 * the finding it decides, so Cedar's determining policies of a Deny name exactly the terms that failed. Column
 * rules, cohorts, budgets and consent are data-usage rules Cedar cannot see (they depend on the SQL), and stay in
 * {@link PolicyEvaluator}.
 *
 * <p>Compiled policy sets are validated against {@link #SCHEMA} once, pre-parsed on Cedar's native side, and cached
 * by policy content (a policy record is equal to another exactly when their canonical hashes are equal). Cedar is
 * fail-closed here: an evaluation error or an Allow without the permit as its reason is a denial.
 */
final class CedarAccess {
  static final String NAMESPACE = "Covenant";
  static final String PERMIT = "permit-compute";

  /** The Cedar schema every compiled policy is validated against and every request is checked against. */
  static final String SCHEMA_TEXT = """
      namespace Covenant {
        entity Org;
        entity Dataset;
        action compute appliesTo {
          principal: [Org],
          resource: [Dataset],
          context: { purpose: String, engine: String, atMillis: Long }
        };
      }
      """;

  private static final int CACHE_LIMIT = 512;
  private static final int UID_CACHE_LIMIT = 4096;

  private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();
  private static final Schema SCHEMA = loadSchema();
  private static final EntityTypeName ORG = EntityTypeName.parse(NAMESPACE + "::Org").orElseThrow();
  private static final EntityTypeName DATASET = EntityTypeName.parse(NAMESPACE + "::Dataset").orElseThrow();
  private static final EntityUID COMPUTE = EntityTypeName.parse(NAMESPACE + "::Action").orElseThrow().of("compute");
  private static final Entities NO_ENTITIES = new Entities();

  private static final Map<Policy, Compiled> COMPILED = new ConcurrentHashMap<>();
  private static final Map<String, EntityUID> ORGS = new ConcurrentHashMap<>();
  private static final Map<String, EntityUID> DATASETS = new ConcurrentHashMap<>();

  private CedarAccess() {}

  /** A policy's access rules as Cedar statements, by Cedar policy id. */
  record Compiled(Map<String, String> statements, PolicySet set) {
    String text() {
      StringBuilder b = new StringBuilder();
      statements.forEach((id, src) -> b.append("@id(\"").append(id).append("\")\n").append(src).append("\n\n"));
      return b.toString().strip() + "\n";
    }
  }

  /** The Cedar text of {@code policy}'s access rules, each statement annotated with its id. */
  static String text(Policy policy) {
    return compiled(policy).text();
  }

  /**
   * Decides the dataset, assignee, purpose, engine and validity terms with Cedar: one finding per term, then (on an
   * Allow) an {@code access} finding naming Cedar's determining policy.
   */
  static List<Finding> findings(Policy policy, UsageRequest request) {
    Compiled compiled;
    try {
      compiled = compiled(policy);
    } catch (RuntimeException e) {
      return List.of(new Finding("access", false, "the policy's access rules could not be compiled to Cedar (" + e.getMessage()
          + "), so nothing is allowed under it; check the policy with 'covenant policy validate'"));
    }
    Map<String, Value> context = new LinkedHashMap<>();
    context.put("purpose", new PrimString(request.purpose().value()));
    context.put("engine", new PrimString(request.engine().wireName()));
    context.put("atMillis", new PrimLong(epochMillis(request.at())));
    AuthorizationRequest cedarRequest = new AuthorizationRequest(
        org(request.consumer()), COMPUTE, dataset(request.dataset().dataset().toString()), new Context(context), Optional.of(SCHEMA), true);
    AuthorizationResponse response;
    try {
      response = ENGINE.isAuthorized(cedarRequest, compiled.set(), NO_ENTITIES);
    } catch (AuthException e) {
      return List.of(new Finding("access", false, "the Cedar authorizer could not decide the request (" + firstLine(e.getMessage())
          + "), so it is refused"));
    }
    if (response.success.isEmpty()) {
      return List.of(new Finding("access", false, "the Cedar authorizer rejected the request (" + firstLine(response.toString())
          + "), so it is refused"));
    }
    AuthorizationSuccessResponse success = response.success.get();
    if (!success.getErrors().isEmpty()) {
      // Cedar skips a policy whose evaluation errs; a skipped forbid must not turn into a permit.
      return List.of(new Finding("access", false, "the Cedar authorizer reported errors in policies "
          + success.getErrors().stream().map(AuthorizationSuccessResponse.AuthorizationError::getPolicyId).sorted().toList()
          + ", so the request is refused"));
    }
    Set<String> reasons = success.getReason();
    return explain(policy, request, success.isAllowed(), reasons);
  }

  private static List<Finding> explain(Policy policy, UsageRequest request, boolean allowed, Set<String> reasons) {
    List<Finding> out = new ArrayList<>();
    out.add(dataset(policy, request, reasons));
    out.add(assignee(policy, request.consumer(), reasons));
    out.add(purpose(policy, request.purpose(), reasons));
    out.add(engine(policy, request.engine(), reasons));
    out.add(validity(policy, request, reasons));
    boolean anyFailed = out.stream().anyMatch(f -> !f.passed());
    if (allowed && reasons.equals(Set.of(PERMIT)) && !anyFailed) {
      out.add(new Finding("access", true, "Cedar allowed " + request.consumer() + " to compute on " + policy.dataset()
          + "; determining policy: " + PERMIT));
    } else if (!anyFailed) {
      out.add(new Finding("access", false, "Cedar did not allow the request (determining policies: "
          + (reasons.isEmpty() ? "none, so the default deny applied" : String.join(", ", reasons)) + ")"));
    }
    return out;
  }

  private static String by(String... ids) {
    return " [Cedar: forbid " + String.join(", ", ids) + "]";
  }

  private static Finding dataset(Policy policy, UsageRequest request, Set<String> reasons) {
    return !reasons.contains("dataset")
        ? new Finding("dataset", true, "the request is for " + request.dataset() + ", which this policy governs")
        : new Finding("dataset", false, "this policy governs " + policy.dataset() + ", but the request is for " + request.dataset() + by("dataset"));
  }

  private static Finding assignee(Policy policy, OrgId consumer, Set<String> reasons) {
    return !reasons.contains("assignee")
        ? new Finding("assignee", true, consumer + " is one of the organisations the policy allows")
        : new Finding("assignee", false, consumer + " is not one of the organisations the policy allows ("
            + policy.assignees().stream().map(OrgId::value).collect(Collectors.joining(", ")) + ")" + by("assignee"));
  }

  private static Finding purpose(Policy policy, Purpose purpose, Set<String> reasons) {
    return !reasons.contains("purpose")
        ? new Finding("purpose", true, "the purpose " + purpose + " is allowed")
        : new Finding("purpose", false, "the purpose " + purpose + " is not allowed; the policy allows "
            + policy.purposes().stream().map(Purpose::value).collect(Collectors.joining(", ")) + by("purpose"));
  }

  private static Finding engine(Policy policy, Engine engine, Set<String> reasons) {
    if (reasons.contains("engine")) {
      return new Finding("engine", false, "running on the " + engine.wireName() + " engine is not allowed; the policy allows "
          + policy.engines().stream().map(Engine::wireName).collect(Collectors.joining(", ")) + by("engine"));
    }
    if (reasons.contains("engine-measurement")) {
      return new Finding("engine", false, "the policy allows the tee engine but lists no enclave measurement, so no enclave could receive the data key"
          + by("engine-measurement"));
    }
    return new Finding("engine", true, "running on the " + engine.wireName() + " engine is allowed"
        + (engine == Engine.TEE ? " (in an enclave whose measurement the policy lists"
            + (policy.tee().allowSimulated() ? ", simulated enclaves included)" : "; simulated enclaves are refused)") : ""));
  }

  private static Finding validity(Policy policy, UsageRequest request, Set<String> reasons) {
    if (reasons.contains("validity-from")) {
      return new Finding("validity", false, "the policy takes effect only at " + policy.validFrom().orElseThrow() + ", after the request time "
          + request.at() + by("validity-from"));
    }
    if (reasons.contains("validity-until")) {
      return new Finding("validity", false, "the policy expired at " + policy.validUntil().orElseThrow() + ", before the request time "
          + request.at() + by("validity-until"));
    }
    String window = "from " + policy.validFrom().map(Object::toString).orElse("the start") + " until "
        + policy.validUntil().map(Object::toString).orElse("revoked");
    return new Finding("validity", true, "the request time " + request.at() + " is within the policy's validity, " + window);
  }

  static Compiled compiled(Policy policy) {
    Compiled c = COMPILED.get(policy);
    if (c != null) return c;
    c = compile(policy);
    // Evicting everything at once keeps the cache lock-free; a policy set dropped here is released from Cedar's
    // native cache by Cedar's cleaner when collected.
    if (COMPILED.size() >= CACHE_LIMIT) COMPILED.clear();
    Compiled raced = COMPILED.putIfAbsent(policy, c);
    return raced != null ? raced : c;
  }

  /** Compiles, validates against the schema and pre-parses one policy's access rules. */
  static Compiled compile(Policy policy) {
    Map<String, String> s = new LinkedHashMap<>();
    String any = "forbid (principal, action == Covenant::Action::\"compute\", resource)";
    s.put(PERMIT, "permit (principal, action == Covenant::Action::\"compute\", resource);");
    s.put("dataset", any + " unless { resource == Covenant::Dataset::" + quote(policy.dataset().toString()) + " };");
    s.put("assignee", any + " unless { " + set(policy.assignees().stream().map(o -> "Covenant::Org::" + quote(o.value())).toList())
        + ".contains(principal) };");
    s.put("purpose", any + " unless { " + set(policy.purposes().stream().map(p -> quote(p.value())).toList()) + ".contains(context.purpose) };");
    s.put("engine", any + " unless { " + set(policy.engines().stream().map(e -> quote(e.wireName())).toList()) + ".contains(context.engine) };");
    if (policy.engines().contains(Engine.TEE) && policy.tee().measurements().isEmpty()) {
      s.put("engine-measurement", any + " when { context.engine == \"tee\" };");
    }
    policy.validFrom().ifPresent(t -> s.put("validity-from", any + " when { context.atMillis < " + epochMillis(t) + " }; // " + t));
    policy.validUntil().ifPresent(t -> s.put("validity-until", any + " when { context.atMillis >= " + epochMillis(t) + " }; // " + t));

    Set<com.cedarpolicy.model.policy.Policy> statements = new LinkedHashSet<>();
    s.forEach((id, src) -> statements.add(new com.cedarpolicy.model.policy.Policy(src, id)));
    PolicySet set = new PolicySet(statements);
    try {
      ValidationResponse v = ENGINE.validate(new ValidationRequest(SCHEMA, set));
      if (!v.validationPassed()) {
        throw new IllegalStateException("the Cedar form of " + policy.id() + " does not validate against the Covenant schema: " + firstLine(v.toString()));
      }
    } catch (AuthException e) {
      throw new IllegalStateException("the Cedar form of " + policy.id() + " could not be validated: " + firstLine(e.getMessage()), e);
    }
    try {
      set.cache();
    } catch (CacheException e) {
      // Cedar's native cache is full of sets not yet collected; this set is then parsed on every call: slower, same answer.
    }
    return new Compiled(java.util.Collections.unmodifiableMap(s), set);
  }

  private static Schema loadSchema() {
    try {
      Schema schema = Schema.parse(Schema.JsonOrCedar.Cedar, SCHEMA_TEXT);
      try {
        schema.cache();
      } catch (CacheException e) {
        // Uncached, the schema is parsed with each request: slower, same answer.
      }
      return schema;
    } catch (InternalException e) {
      throw new IllegalStateException("the Covenant Cedar schema does not parse: " + e.getMessage(), e);
    }
  }

  private static EntityUID org(OrgId org) {
    return uid(ORGS, ORG, org.value());
  }

  private static EntityUID dataset(String id) {
    return uid(DATASETS, DATASET, id);
  }

  private static EntityUID uid(Map<String, EntityUID> cache, EntityTypeName type, String id) {
    EntityUID u = cache.get(id);
    if (u != null) return u;
    if (cache.size() >= UID_CACHE_LIMIT) cache.clear();
    u = type.of(id);
    cache.put(id, u);
    return u;
  }

  /**
   * Cedar compares the time to the millisecond: requests are floored to it, and policies never carry finer times, so
   * {@code floor(at) >= from} exactly when {@code at >= from}. Instants beyond a Long of milliseconds (about 292
   * million years) saturate, which keeps every comparison's direction.
   */
  static long epochMillis(Instant t) {
    try {
      return t.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static String set(List<String> literals) {
    return "[" + String.join(", ", literals) + "]";
  }

  /** A Cedar string literal. Ids are validated to safe characters already; escaping keeps that from mattering. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) b.append(String.format(Locale.ROOT, "\\u{%x}", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) return "no reason given";
    return s.strip().lines().findFirst().orElse("").strip();
  }
}
