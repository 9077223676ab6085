package io.covenant.coordinator.identity;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.util.Collection;
import java.util.Optional;

/**
 * A command named an organisation that was never created here. Nothing is created in its place: a typo must not get
 * keys of its own. The message suggests the closest known organisation and says how to create one.
 */
public final class UnknownOrganisationException extends CovenantException {
  private final OrgId org;

  public UnknownOrganisationException(OrgId org, Collection<OrgId> known) {
    super(message(org, known));
    this.org = org;
  }

  public OrgId org() {
    return org;
  }

  private static String message(OrgId org, Collection<OrgId> known) {
    StringBuilder m = new StringBuilder("no organisation '").append(org).append("'");
    closest(org, known).ifPresent(c -> m.append("; did you mean '").append(c).append("'?"));
    m.append(known.isEmpty() ? "; none exists here yet." : "").append(" Create one with './covenant org create ").append(org)
        .append(" --role owner|consumer|auditor' (see './covenant org list' for the organisations here)");
    return m.toString();
  }

  /** The known organisation within a few edits of {@code org} (Levenshtein distance), if one is close enough. */
  static Optional<OrgId> closest(OrgId org, Collection<OrgId> known) {
    String a = org.value();
    OrgId best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (OrgId k : known) {
      int d = distance(a, k.value());
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, a.length() / 3);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
