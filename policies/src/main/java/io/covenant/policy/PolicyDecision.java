package io.covenant.policy;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.List;
import java.util.Locale;

/**
 * The answer to one usage request under one policy, with every rule that was checked and why it passed or failed.
 * A decision is DENY exactly when some finding failed.
 */
public record PolicyDecision(Outcome outcome, List<Finding> findings) {

  public enum Outcome {
    PERMIT,
    DENY,
    NEEDS_APPROVAL
  }

  /**
   * One checked rule.
   *
   * @param rule what was checked: {@code dataset}, {@code assignee}, {@code purpose}, {@code engine}, {@code validity},
   *     {@code sql}, {@code select-star}, {@code column:<name>}, {@code aggregation}, {@code min-cohort},
   *     {@code consent}, {@code privacy-budget}, {@code max-uses}, {@code obligations}, {@code approval}
   * @param explanation in words a data owner understands
   */
  public record Finding(String rule, boolean passed, String explanation) {
    public Finding {
      if (rule == null || rule.isBlank()) throw new MalformedInputException("a finding needs a rule id");
      if (explanation == null || explanation.isBlank()) throw new MalformedInputException("finding '" + rule + "' needs an explanation");
    }

    public Json.JObject toJson() {
      return Json.obj("rule", rule, "passed", passed, "explanation", explanation);
    }
  }

  public PolicyDecision {
    if (outcome == null) throw new MalformedInputException("a decision needs an outcome");
    findings = List.copyOf(findings);
    boolean failed = findings.stream().anyMatch(f -> !f.passed());
    if (failed != (outcome == Outcome.DENY)) {
      throw new MalformedInputException(
          "a decision is DENY exactly when a finding failed; got " + outcome + " with " + (failed ? "failed findings" : "no failed finding"));
    }
  }

  /** The failed findings: the reasons for a DENY. */
  public List<Finding> violations() {
    return findings.stream().filter(f -> !f.passed()).toList();
  }

  /** One line a data owner understands. */
  public String summary() {
    return switch (outcome) {
      case PERMIT -> "Permitted: all " + findings.size() + " checks passed.";
      case NEEDS_APPROVAL -> "Needs the owner's approval: all " + findings.size() + " checks passed, and the policy asks for manual approval of every use.";
      case DENY -> {
        List<Finding> v = violations();
        String first = v.get(0).explanation();
        first = Character.toUpperCase(first.charAt(0)) + first.substring(1);
        yield "Denied: " + first + (v.size() > 1 ? " (and " + (v.size() - 1) + " more problem" + (v.size() > 2 ? "s" : "") + ")." : ".");
      }
    };
  }

  public Json.JObject toJson() {
    return Json.obj("outcome", outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'), "findings", findings.stream().map(Finding::toJson).toList());
  }

  public static PolicyDecision fromJson(Json.JObject o) {
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(o.string("outcome").toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("decision outcome '" + o.string("outcome") + "' is not known: use permit, deny or needs-approval");
    }
    return new PolicyDecision(outcome, o.objects("findings").stream()
        .map(f -> new Finding(f.string("rule"), f.bool("passed"), f.string("explanation")))
        .toList());
  }
}
