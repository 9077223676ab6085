package io.covenant.policy.odrl;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.policy.ColumnRule;
import io.covenant.policy.Policy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Translates a Covenant policy to and from ODRL 2.2 (W3C Recommendation "ODRL Information Model 2.2" and "ODRL
 * Vocabulary &amp; Expression 2.2", 2018) in its JSON-LD serialisation, so owners can exchange policies with tools
 * that speak ODRL.
 *
 * <p>The main terms use the ODRL Common Vocabulary: one {@code permission} per assignee with action {@code use} on the
 * dataset ({@code target}), constrained by {@code purpose} (isAnyOf), {@code dateTime} (gteq validFrom, lt
 * validUntil) and {@code count} (lteq maxUses); obligations are {@code duty} entries. Terms ODRL has no word for
 * (engines, minimum cohort, enclave measurements, privacy budget, approval, consent, column rules) use left operands
 * and members of the Covenant profile {@value #PROFILE}, prefix {@code cov:}. {@code fromJsonLd(toJsonLd(p))} equals
 * {@code p}; documents using ODRL features outside this mapping are rejected, naming the feature, rather than
 * half-read.
 */
public final class OdrlMapping {
  public static final String ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld";
  public static final String PROFILE = "urn:covenant:odrl-profile:1";
  private static final String COV = "urn:covenant:odrl:";
  private static final String XSD = "http://www.w3.org/2001/XMLSchema#";
  private static final String POLICY_URN = "urn:covenant:policy:";
  private static final String ORG_URN = "urn:covenant:org:";
  private static final String DATASET_URN = "urn:covenant:dataset:";
  private static final String CONSENT_DUTY = "cov:excludeWithdrawnSubjects";

  private OdrlMapping() {}

  /** The policy as an ODRL 2.2 {@code Agreement} from the dataset owner to the assignees. */
  public static Json.JObject toJsonLd(Policy p) {
    List<Object> constraints = new ArrayList<>();
    constraints.add(constraint("purpose", "isAnyOf", p.purposes().stream().map(Purpose::value).toList()));
    constraints.add(constraint("cov:engine", "isAnyOf", p.engines().stream().map(Engine::wireName).toList()));
    p.validFrom().ifPresent(t -> constraints.add(constraint("dateTime", "gteq", dateTime(t))));
    p.validUntil().ifPresent(t -> constraints.add(constraint("dateTime", "lt", dateTime(t))));
    p.maxUses().ifPresent(n -> constraints.add(constraint("count", "lteq", n)));
    constraints.add(constraint("cov:groupSize", "gteq", p.minCohort()));
    constraints.add(constraint("cov:teeMeasurement", "isAnyOf", p.tee().measurements().stream().map(Measurement::hex).toList()));
    constraints.add(constraint("cov:teeSimulated", "eq", p.tee().allowSimulated()));
    if (p.tee().freshnessEntries() != Policy.Tee.DEFAULT_FRESHNESS_ENTRIES) {
      constraints.add(constraint("cov:teeFreshnessEntries", "lteq", p.tee().freshnessEntries()));
    }
    p.privacy().ifPresent(b -> {
      constraints.add(constraint("cov:epsilonPerQuery", "eq", b.epsilonPerQuery()));
      constraints.add(constraint("cov:epsilonTotal", "lteq", b.epsilonTotal()));
    });
    constraints.add(constraint("cov:approvalRequired", "eq", p.approval().required()));

    List<Object> duties = new ArrayList<>();
    for (String o : p.obligations()) duties.add(Json.obj("action", "cov:" + o));
    p.consent().ifPresent(c -> duties.add(Json.obj("action", CONSENT_DUTY, "constraint", List.of(
        constraint("cov:subjectColumn", "eq", c.subjectColumn()),
        constraint("cov:withdrawnSubject", "isAnyOf", c.excludedSubjects())))));

    List<Object> permissions = new ArrayList<>();
    for (OrgId a : p.assignees()) {
      Map<String, Object> perm = new LinkedHashMap<>();
      perm.put("assignee", ORG_URN + a.value());
      perm.put("action", "use");
      perm.put("constraint", constraints);
      if (!duties.isEmpty()) perm.put("duty", duties);
      permissions.add(perm);
    }
    Map<String, Object> cols = new LinkedHashMap<>();
    p.columns().forEach((k, v) -> cols.put(k, v.wireName()));
    Map<String, Object> bounds = new LinkedHashMap<>();
    p.privacy().ifPresent(b -> b.bounds().forEach((k, v) -> bounds.put(k, List.of(v.lower(), v.upper()))));
    Json.JObject doc = Json.obj(
        "@context", List.of(ODRL_CONTEXT, Json.obj("cov", COV, "xsd", XSD)),
        "@type", "Agreement",
        "uid", POLICY_URN + p.id(),
        "profile", PROFILE,
        "assigner", ORG_URN + p.dataset().owner().value(),
        "target", DATASET_URN + p.dataset(),
        "permission", permissions,
        "cov:columns", cols,
        "cov:defaultColumnRule", p.defaultColumnRule().wireName());
    if (bounds.isEmpty() && !p.release().exact() && !p.release().orderStatistics() && p.training().isEmpty()
        && p.matching().equals(Policy.Matching.PRIVATE) && p.mpc().equals(Policy.Mpc.DEFAULT)
        && p.privacy().map(b -> b.mechanism() == Policy.PrivacyBudget.Mechanism.LAPLACE).orElse(true)) return doc;
    Map<String, Json> members = new LinkedHashMap<>(doc.members());
    if (!bounds.isEmpty()) members.put("cov:privacyBounds", Json.from(bounds));
    if (p.release().exact()) members.put("cov:exactRelease", Json.from(true));
    if (p.release().orderStatistics()) members.put("cov:orderStatistics", Json.from(true));
    p.training().ifPresent(t -> members.put("cov:training", Json.obj("columns", t.columns(), "minRows", t.minRows())));
    p.privacy().filter(b -> b.mechanism() == Policy.PrivacyBudget.Mechanism.GAUSSIAN).ifPresent(b -> {
      members.put("cov:noiseMechanism", Json.from("gaussian"));
      members.put("cov:deltaPerQuery", Json.from(b.deltaPerQuery().orElseThrow()));
    });
    if (p.matching().revealMatches()) members.put("cov:revealMatches", Json.from(true));
    if (p.matching().revealCount()) members.put("cov:revealMatchCount", Json.from(true));
    // An owner's requirement of malicious security must survive the mapping, or a round trip would weaken the policy.
    if (!p.mpc().equals(Policy.Mpc.DEFAULT)) members.put("cov:mpcSecurity", Json.from(p.mpc().security().wireName()));
    return new Json.JObject(members);
  }

  /** Reads an ODRL 2.2 JSON-LD policy written in the Covenant profile. Errors name the ODRL member at fault. */
  public static Policy fromJsonLd(Json.JObject o) {
    String type = text(o, "@type");
    if (!List.of("Agreement", "Offer", "Set").contains(type)) throw error("@type", "is '" + type + "'; expected Agreement, Offer or Set");
    if (!PROFILE.equals(text(o, "profile"))) throw error("profile", "must be " + PROFILE + " for Covenant to read the policy");
    for (String unsupported : List.of("prohibition", "obligation", "inheritFrom", "conflict")) {
      if (o.has(unsupported)) throw error(unsupported, "is not part of the Covenant profile; express the rule with cov:columns or drop it");
    }
    String id = strip(text(o, "uid"), POLICY_URN, "uid");
    DatasetId dataset = convert("target", () -> DatasetId.parse(strip(text(o, "target"), DATASET_URN, "target")));
    String assigner = strip(text(o, "assigner"), ORG_URN, "assigner");
    if (!assigner.equals(dataset.owner().value())) throw error("assigner", "is " + assigner + " but the dataset belongs to " + dataset.owner());

    List<Json.JObject> permissions = objects(o, "permission");
    if (permissions.isEmpty()) throw error("permission", "must hold at least one permission");
    List<OrgId> assignees = new ArrayList<>();
    Json first = null;
    for (int i = 0; i < permissions.size(); i++) {
      Json.JObject perm = permissions.get(i);
      String where = "permission[" + i + "]";
      if (!"use".equals(text(perm, "action"))) throw error(where + ".action", "must be use");
      if (perm.has("target") || perm.has("assigner")) throw error(where, "must not override the policy's target or assigner");
      assignees.add(convert(where + ".assignee", () -> new OrgId(strip(text(perm, "assignee"), ORG_URN, where + ".assignee"))));
      Json terms = Json.obj("constraint", perm.has("constraint") ? perm.get("constraint") : Json.arr(List.of()),
          "duty", perm.has("duty") ? perm.get("duty") : Json.arr(List.of()));
      if (first == null) first = terms;
      else if (!first.equals(terms)) throw error(where, "has other constraints or duties than permission[0]; a Covenant policy applies the same terms to every assignee");
    }

    Terms t = new Terms();
    List<Json.JObject> constraints = objects(permissions.get(0), "constraint");
    for (int i = 0; i < constraints.size(); i++) t.read(constraints.get(i), "permission[0].constraint[" + i + "]");
    List<String> obligations = new ArrayList<>();
    Optional<Policy.Consent> consent = Optional.empty();
    List<Json.JObject> duties = permissions.get(0).has("duty") ? objects(permissions.get(0), "duty") : List.of();
    for (int i = 0; i < duties.size(); i++) {
      String where = "permission[0].duty[" + i + "]";
      String action = text(duties.get(i), "action");
      if (action.equals(CONSENT_DUTY)) {
        Terms c = new Terms();
        List<Json.JObject> cc = objects(duties.get(i), "constraint");
        for (int j = 0; j < cc.size(); j++) c.read(cc.get(j), where + ".constraint[" + j + "]");
        if (c.subjectColumn == null) throw error(where, "needs a cov:subjectColumn constraint");
        consent = Optional.of(new Policy.Consent(c.subjectColumn, c.withdrawn));
      } else if (action.startsWith("cov:")) {
        obligations.add(action.substring(4));
      } else {
        throw error(where + ".action", "'" + action + "' is not a Covenant obligation (cov:...)");
      }
    }
    if (t.purposes == null) throw error("permission[0].constraint", "needs a purpose isAnyOf constraint");
    if (t.engines == null) throw error("permission[0].constraint", "needs a cov:engine isAnyOf constraint");
    if (t.minCohort == null) throw error("permission[0].constraint", "needs a cov:groupSize gteq constraint");

    Map<String, ColumnRule> columns = new LinkedHashMap<>();
    if (o.has("cov:columns")) {
      for (Map.Entry<String, Json> e : o.object("cov:columns").members().entrySet()) {
        if (!(e.getValue() instanceof Json.JString s)) throw error("cov:columns." + e.getKey(), "must be a rule name");
        columns.put(e.getKey(), convert("cov:columns." + e.getKey(), () -> ColumnRule.parse(s.value())));
      }
    }
    ColumnRule defaultRule = o.has("cov:defaultColumnRule")
        ? convert("cov:defaultColumnRule", () -> ColumnRule.parse(text(o, "cov:defaultColumnRule")))
        : ColumnRule.NEVER;
    return new Policy(id, dataset, assignees, t.purposes, t.engines, new Policy.Tee(t.simulated, t.measurements, t.freshnessEntries),
        Optional.ofNullable(t.validFrom), Optional.ofNullable(t.validUntil), t.minCohort, columns, defaultRule,
        new Policy.Approval(t.approval), t.maxUses == null ? OptionalLong.empty() : OptionalLong.of(t.maxUses), obligations,
        consent, t.epsilonPerQuery == null && t.epsilonTotal == null ? Optional.empty()
            : Optional.of(new Policy.PrivacyBudget(t.epsilonPerQuery, t.epsilonTotal, privacyBounds(o),
                "gaussian".equals(o.has("cov:noiseMechanism") ? text(o, "cov:noiseMechanism") : "laplace") ? Policy.PrivacyBudget.Mechanism.GAUSSIAN
                    : Policy.PrivacyBudget.Mechanism.LAPLACE,
                o.has("cov:deltaPerQuery") ? Optional.of(((Json.JNumber) o.get("cov:deltaPerQuery")).value()) : Optional.empty())),
        new Policy.Release(flag(o, "cov:exactRelease"), flag(o, "cov:orderStatistics")), training(o),
        new Policy.Matching(flag(o, "cov:revealMatches"), flag(o, "cov:revealMatchCount")), Optional.empty(),
        o.has("cov:mpcSecurity") ? new Policy.Mpc(convert("cov:mpcSecurity", () -> io.covenant.core.job.MpcSecurity.parse(text(o, "cov:mpcSecurity"))))
            : Policy.Mpc.DEFAULT);
  }

  /** {@code cov:training}: {@code {"columns": [...], "minRows": n}}, as the policy document's {@code training}. */
  private static Optional<Policy.Training> training(Json.JObject o) {
    if (!o.has("cov:training")) return Optional.empty();
    if (!(o.get("cov:training") instanceof Json.JObject t) || !t.has("columns") || !t.has("minRows")) {
      throw error("cov:training", "must be an object with columns (a list of column names) and minRows (a whole number)");
    }
    return Optional.of(new Policy.Training(t.strings("columns"), t.number("minRows")));
  }

  private static boolean flag(Json.JObject o, String member) {
    if (!o.has(member)) return false;
    if (!(o.get(member) instanceof Json.JBool b)) throw error(member, "must be true or false");
    return b.value();
  }

  private static Map<String, Policy.Bounds> privacyBounds(Json.JObject o) {
    Map<String, Policy.Bounds> bounds = new LinkedHashMap<>();
    if (!o.has("cov:privacyBounds")) return bounds;
    for (Map.Entry<String, Json> e : o.object("cov:privacyBounds").members().entrySet()) {
      String where = "cov:privacyBounds." + e.getKey();
      if (!(e.getValue() instanceof Json.JArray a) || a.items().size() != 2
          || !(a.items().get(0) instanceof Json.JNumber lo) || !(a.items().get(1) instanceof Json.JNumber hi)) {
        throw error(where, "must be [lower, upper]");
      }
      bounds.put(e.getKey(), convert(where, () -> new Policy.Bounds(lo.value(), hi.value())));
    }
    return bounds;
  }

  /** The constraint values found so far. */
  private static final class Terms {
    List<Purpose> purposes;
    List<Engine> engines;
    Instant validFrom;
    Instant validUntil;
    Long maxUses;
    Integer minCohort;
    List<Measurement> measurements = List.of();
    boolean simulated;
    long freshnessEntries = Policy.Tee.DEFAULT_FRESHNESS_ENTRIES;
    BigDecimal epsilonPerQuery;
    BigDecimal epsilonTotal;
    boolean approval;
    String subjectColumn;
    List<String> withdrawn = List.of();

    void read(Json.JObject c, String where) {
      String left = text(c, "leftOperand");
      String op = text(c, "operator");
      Json right = c.get("rightOperand");
      String key = left + " " + op;
      switch (key) {
        case "purpose isAnyOf" -> purposes = strings(right, where).stream().map(s -> convert(where, () -> new Purpose(s))).toList();
        case "cov:engine isAnyOf" -> engines = strings(right, where).stream().map(s -> convert(where, () -> Engine.parse(s))).toList();
        case "dateTime gteq" -> validFrom = instant(right, where);
        case "dateTime lt" -> validUntil = instant(right, where);
        case "count lteq" -> maxUses = whole(right, where);
        case "cov:groupSize gteq" -> minCohort = Math.toIntExact(whole(right, where));
        case "cov:teeMeasurement isAnyOf" -> measurements = strings(right, where).stream().map(s -> convert(where, () -> new Measurement(s))).toList();
        case "cov:teeSimulated eq" -> simulated = bool(right, where);
        case "cov:teeFreshnessEntries lteq" -> freshnessEntries = whole(right, where);
        case "cov:epsilonPerQuery eq" -> epsilonPerQuery = number(right, where);
        case "cov:epsilonTotal lteq" -> epsilonTotal = number(right, where);
        case "cov:approvalRequired eq" -> approval = bool(right, where);
        case "cov:subjectColumn eq" -> subjectColumn = right instanceof Json.JString s ? s.value() : null;
        case "cov:withdrawnSubject isAnyOf" -> withdrawn = strings(right, where);
        default -> throw error(where, "('" + left + "' " + op + ") is not a constraint the Covenant profile defines");
      }
    }
  }

  private static Json.JObject constraint(String left, String operator, Object right) {
    return Json.obj("leftOperand", left, "operator", operator, "rightOperand", right);
  }

  private static Json.JObject dateTime(Instant t) {
    return Json.obj("@value", t.toString(), "@type", "xsd:dateTime");
  }

  private static Instant instant(Json right, String where) {
    Json v = right instanceof Json.JObject o && o.has("@value") ? o.get("@value") : right;
    if (v instanceof Json.JString s) {
      try {
        return Instant.parse(s.value());
      } catch (DateTimeParseException e) {
        throw error(where + ".rightOperand", "'" + s.value() + "' is not a UTC xsd:dateTime like 2026-01-01T00:00:00Z");
      }
    }
    throw error(where + ".rightOperand", "must be an xsd:dateTime");
  }

  private static long whole(Json right, String where) {
    if (right instanceof Json.JNumber n) {
      try {
        return n.value().longValueExact();
      } catch (ArithmeticException e) {
        throw error(where + ".rightOperand", "must be a whole number");
      }
    }
    throw error(where + ".rightOperand", "must be a whole number");
  }

  private static BigDecimal number(Json right, String where) {
    if (right instanceof Json.JNumber n) return n.value();
    throw error(where + ".rightOperand", "must be a number");
  }

  private static boolean bool(Json right, String where) {
    if (right instanceof Json.JBool b) return b.value();
    throw error(where + ".rightOperand", "must be true or false");
  }

  private static List<String> strings(Json right, String where) {
    List<Json> items = right instanceof Json.JArray a ? a.items() : List.of(right);
    List<String> out = new ArrayList<>();
    for (Json j : items) {
      if (!(j instanceof Json.JString s)) throw error(where + ".rightOperand", "must be a string or a list of strings");
      out.add(s.value());
    }
    return out;
  }

  private static String text(Json.JObject o, String name) {
    if (!o.has(name)) throw error(name, "is missing");
    if (o.get(name) instanceof Json.JString s) return s.value();
    throw error(name, "must be a string");
  }

  private static List<Json.JObject> objects(Json.JObject o, String name) {
    if (!o.has(name)) throw error(name, "is missing");
    Json v = o.get(name);
    List<Json> items = v instanceof Json.JArray a ? a.items() : List.of(v);
    List<Json.JObject> out = new ArrayList<>();
    for (Json j : items) {
      if (!(j instanceof Json.JObject x)) throw error(name, "must hold objects");
      out.add(x);
    }
    return out;
  }

  private static String strip(String value, String prefix, String member) {
    if (!value.startsWith(prefix)) throw error(member, "'" + value + "' must start with " + prefix);
    return value.substring(prefix.length());
  }

  private static <T> T convert(String member, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (MalformedInputException e) {
      throw error(member, "is not valid: " + e.getMessage());
    }
  }

  private static MalformedInputException error(String member, String what) {
    return new MalformedInputException("ODRL policy member '" + member + "' " + what);
  }
}
