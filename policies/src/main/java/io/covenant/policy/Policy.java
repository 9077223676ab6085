package io.covenant.policy;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A data owner's usage policy for one dataset, in policy language v1 (see docs/policy-language.md). Immutable.
 * Lists that are sets by meaning (assignees, purposes, engines, measurements, obligations, excluded subjects) are kept
 * sorted and without duplicates, so two documents that say the same thing have the same {@link #hash()}.
 *
 * @param id the owner's name for this policy
 * @param dataset the dataset it governs
 * @param assignees organisations that may use the dataset
 * @param purposes purposes they may use it for
 * @param engines engines it may run on
 * @param tee which enclaves may receive the dataset key
 * @param validFrom first instant the policy permits anything (inclusive), or unbounded
 * @param validUntil instant from which it permits nothing (exclusive), or unbounded
 * @param minCohort smallest group a result may describe
 * @param columns per-column rules
 * @param defaultColumnRule the rule for columns not in {@code columns}
 * @param approval whether each use needs the owner's manual approval
 * @param maxUses how many computations the policy allows in total, or unbounded
 * @param obligations duties the consumer takes on with each use (e.g. {@code delete-after-90-days}), by name
 * @param consent data subjects whose rows must be left out, or none
 * @param privacy the differential-privacy budget, or none
 * @param release what the policy lets leave the enclave beyond noisy statistics: exact statistics of sensitive
 *     columns (an explicit opt-out of the budget) and order statistics (MIN, MAX, MEDIAN, quantiles) of them
 * @param training whether, and on which columns, a model may be trained inside the enclave, or none
 * @param matching what a private set intersection on the dataset's id column may reveal, and to whom
 * @param he the output controls the owner's node applies on the homomorphic-encryption engine, or the defaults
 * @param mpc what the owner requires of multi-party jobs on the dataset: the least adversary they must resist
 */
public record Policy(
    String id,
    DatasetId dataset,
    List<OrgId> assignees,
    List<Purpose> purposes,
    List<Engine> engines,
    Tee tee,
    Optional<Instant> validFrom,
    Optional<Instant> validUntil,
    int minCohort,
    Map<String, ColumnRule> columns,
    ColumnRule defaultColumnRule,
    Approval approval,
    OptionalLong maxUses,
    List<String> obligations,
    Optional<Consent> consent,
    Optional<PrivacyBudget> privacy,
    Release release,
    Optional<Training> training,
    Matching matching,
    Optional<He> he,
    Mpc mpc) {
  private static final Pattern SUBJECT_DIGEST = Pattern.compile("[0-9a-f]{64}");

  /** The language version this class reads and writes. */
  public static final int LANGUAGE_VERSION = 1;

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern OBLIGATION = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Set<String> FIELDS = Set.of(
      "covenantPolicy", "id", "dataset", "assignees", "purposes", "engines", "tee", "validFrom", "validUntil",
      "minCohort", "columns", "defaultColumnRule", "approval", "maxUses", "obligations", "consent", "privacy", "training", "matching", "he", "mpc");

  public Policy {
    if (id == null || !ID.matcher(id).matches()) {
      throw PolicyReader.error("id", "'" + id + "' is not valid: use 1-128 lower-case letters, digits, '.', '_' or '-'");
    }
    if (dataset == null) throw PolicyReader.error("dataset", "is missing");
    assignees = sortedSet("assignees", assignees, Comparator.naturalOrder());
    purposes = sortedSet("purposes", purposes, Comparator.comparing(Purpose::value));
    engines = sortedSet("engines", engines, Comparator.comparing(Engine::wireName));
    if (tee == null) tee = new Tee(false, List.of());
    validFrom = validFrom == null ? Optional.empty() : validFrom;
    validUntil = validUntil == null ? Optional.empty() : validUntil;
    // The authorizer compares times to the millisecond; a finer bound could not be decided exactly.
    if (validFrom.isPresent() && validFrom.get().getNano() % 1_000_000 != 0) {
      throw PolicyReader.error("validFrom", "(" + validFrom.get() + ") is finer than a millisecond; give it to the second or millisecond");
    }
    if (validUntil.isPresent() && validUntil.get().getNano() % 1_000_000 != 0) {
      throw PolicyReader.error("validUntil", "(" + validUntil.get() + ") is finer than a millisecond; give it to the second or millisecond");
    }
    if (validFrom.isPresent() && validUntil.isPresent() && !validFrom.get().isBefore(validUntil.get())) {
      throw PolicyReader.error("validUntil", "(" + validUntil.get() + ") must be after validFrom (" + validFrom.get() + ")");
    }
    if (minCohort < 1) {
      throw PolicyReader.error("minCohort", "must be 1 or more (a group of " + minCohort + " records makes no sense); 10 or more is usual");
    }
    SortedMap<String, ColumnRule> cols = new TreeMap<>();
    if (columns != null) {
      columns.forEach((name, rule) -> {
        if (name == null || !COLUMN.matcher(name).matches()) {
          throw PolicyReader.error("columns." + name, "does not name a column: use lower-case letters, digits and '_', starting with a letter");
        }
        if (rule == null) throw PolicyReader.error("columns." + name, "has no rule");
        cols.put(name, rule);
      });
    }
    columns = java.util.Collections.unmodifiableSortedMap(cols);
    if (defaultColumnRule == null) defaultColumnRule = ColumnRule.NEVER;
    if (approval == null) approval = new Approval(false);
    maxUses = maxUses == null ? OptionalLong.empty() : maxUses;
    if (maxUses.isPresent() && maxUses.getAsLong() < 1) throw PolicyReader.error("maxUses", "must be 1 or more");
    obligations = obligations == null ? List.of() : List.copyOf(new TreeSet<>(obligations));
    for (int i = 0; i < obligations.size(); i++) {
      if (!OBLIGATION.matcher(obligations.get(i)).matches()) {
        throw PolicyReader.error("obligations", "entry '" + obligations.get(i) + "' is not valid: use lower-case words joined by '-', e.g. delete-after-90-days");
      }
    }
    consent = consent == null ? Optional.empty() : consent;
    privacy = privacy == null ? Optional.empty() : privacy;
    if (release == null) release = Release.NOISY_ONLY;
    training = training == null ? Optional.empty() : training;
    if (matching == null) matching = Matching.PRIVATE;
    he = he == null ? Optional.empty() : he;
    if (mpc == null) mpc = Mpc.DEFAULT;
    if (!mpc.equals(Mpc.DEFAULT) && !engines.contains(Engine.MPC)) {
      throw PolicyReader.error("mpc.security", "is set, but engines does not list mpc: the option applies to the multi-party engine only; "
          + "add mpc to engines or remove the mpc block");
    }
    if (training.isPresent() && training.get().minRows() < minCohort) {
      throw PolicyReader.error("training.minRows", "(" + training.get().minRows() + ") is below minCohort (" + minCohort
          + "): a model may not be trained on fewer rows than the smallest group a result may describe");
    }
    if (release.exact() && privacy.isPresent()) {
      throw PolicyReader.error("privacy.exact", "is true, but the policy also sets a privacy budget; a policy either releases exact "
          + "statistics (exact: true, no budget) or noisy ones (epsilonPerQuery, epsilonTotal, bounds), not both");
    }
  }

  /** A policy as written before {@link Mpc} existed: multi-party jobs may run in either security mode. */
  public Policy(String id, DatasetId dataset, List<OrgId> assignees, List<Purpose> purposes, List<Engine> engines, Tee tee,
      Optional<Instant> validFrom, Optional<Instant> validUntil, int minCohort, Map<String, ColumnRule> columns,
      ColumnRule defaultColumnRule, Approval approval, OptionalLong maxUses, List<String> obligations, Optional<Consent> consent,
      Optional<PrivacyBudget> privacy, Release release, Optional<Training> training, Matching matching, Optional<He> he) {
    this(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, minCohort, columns, defaultColumnRule, approval,
        maxUses, obligations, consent, privacy, release, training, matching, he, Mpc.DEFAULT);
  }

  /** A policy as written before {@link He} existed: the homomorphic-encryption engine's default output controls. */
  public Policy(String id, DatasetId dataset, List<OrgId> assignees, List<Purpose> purposes, List<Engine> engines, Tee tee,
      Optional<Instant> validFrom, Optional<Instant> validUntil, int minCohort, Map<String, ColumnRule> columns,
      ColumnRule defaultColumnRule, Approval approval, OptionalLong maxUses, List<String> obligations, Optional<Consent> consent,
      Optional<PrivacyBudget> privacy, Release release, Optional<Training> training, Matching matching) {
    this(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, minCohort, columns, defaultColumnRule, approval,
        maxUses, obligations, consent, privacy, release, training, matching, Optional.empty());
  }

  /** A policy as written before {@link Matching} and {@link He} existed: an intersection reveals nothing, and the he engine's defaults. */
  public Policy(String id, DatasetId dataset, List<OrgId> assignees, List<Purpose> purposes, List<Engine> engines, Tee tee,
      Optional<Instant> validFrom, Optional<Instant> validUntil, int minCohort, Map<String, ColumnRule> columns,
      ColumnRule defaultColumnRule, Approval approval, OptionalLong maxUses, List<String> obligations, Optional<Consent> consent,
      Optional<PrivacyBudget> privacy, Release release, Optional<Training> training) {
    this(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, minCohort, columns, defaultColumnRule, approval,
        maxUses, obligations, consent, privacy, release, training, Matching.PRIVATE, Optional.empty());
  }

  /** A policy as written before {@link Training} existed: no model may be trained on the dataset. */
  public Policy(String id, DatasetId dataset, List<OrgId> assignees, List<Purpose> purposes, List<Engine> engines, Tee tee,
      Optional<Instant> validFrom, Optional<Instant> validUntil, int minCohort, Map<String, ColumnRule> columns,
      ColumnRule defaultColumnRule, Approval approval, OptionalLong maxUses, List<String> obligations, Optional<Consent> consent,
      Optional<PrivacyBudget> privacy, Release release) {
    this(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, minCohort, columns, defaultColumnRule, approval,
        maxUses, obligations, consent, privacy, release, Optional.empty(), Matching.PRIVATE, Optional.empty());
  }

  /**
   * A policy as written before {@link Release} existed: noisy statistics only (with a budget) and no order
   * statistics of sensitive columns.
   */
  public Policy(String id, DatasetId dataset, List<OrgId> assignees, List<Purpose> purposes, List<Engine> engines, Tee tee,
      Optional<Instant> validFrom, Optional<Instant> validUntil, int minCohort, Map<String, ColumnRule> columns,
      ColumnRule defaultColumnRule, Approval approval, OptionalLong maxUses, List<String> obligations, Optional<Consent> consent,
      Optional<PrivacyBudget> privacy) {
    this(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, minCohort, columns, defaultColumnRule, approval,
        maxUses, obligations, consent, privacy, Release.NOISY_ONLY, Optional.empty(), Matching.PRIVATE, Optional.empty());
  }

  private static <T> List<T> sortedSet(String field, List<T> items, Comparator<T> order) {
    if (items == null || items.isEmpty()) throw PolicyReader.error(field, "must list at least one entry");
    TreeSet<T> set = new TreeSet<>(order);
    for (T t : items) {
      if (t == null) throw PolicyReader.error(field, "has an empty entry");
      set.add(t);
    }
    return List.copyOf(set);
  }

  /**
   * Which enclaves may receive the dataset key, and for how long after the job's authorisation: {@code
   * freshnessEntries} is the most ledger entries that may stand between the job's JOB_AUTHORIZED and the owner's
   * KEY_RELEASED (the attestation nonce is derived from that authorisation; the window is measured on the ledger, not
   * by any clock). Absent from the policy text, it is {@link #DEFAULT_FRESHNESS_ENTRIES}.
   */
  public record Tee(boolean allowSimulated, List<Measurement> measurements, long freshnessEntries) {
    /** The freshness window of a policy that sets none: generous for a busy log, and closed by the job's end anyway. */
    public static final long DEFAULT_FRESHNESS_ENTRIES = 1000;

    public Tee {
      TreeSet<Measurement> set = new TreeSet<>(Comparator.comparing(Measurement::hex));
      for (Measurement m : measurements == null ? List.<Measurement>of() : measurements) {
        if (m == null) throw PolicyReader.error("tee.measurements", "has an empty entry");
        set.add(m);
      }
      measurements = List.copyOf(set);
      if (freshnessEntries < 2) {
        throw PolicyReader.error("tee.freshnessEntries", "must be 2 or more (a release records two entries after the authorisation), got " + freshnessEntries);
      }
    }

    public Tee(boolean allowSimulated, List<Measurement> measurements) {
      this(allowSimulated, measurements, DEFAULT_FRESHNESS_ENTRIES);
    }
  }

  /** Whether every use waits for the owner's manual approval. */
  public record Approval(boolean required) {}

  /**
   * Data subjects who withdrew consent: rows whose {@code subjectColumn} value digests to one of {@code
   * excludedSubjects} are removed before any computation. Entries are HMAC-SHA256 digests of the subject ids under the
   * dataset's subject key ({@code io.covenant.core.crypto.SubjectKey}), never the ids: the policy text is public to
   * the catalogue, and only the owner and an attested enclave hold the key that matches digests to rows.
   */
  public record Consent(String subjectColumn, List<String> excludedSubjects) {
    public Consent {
      if (subjectColumn == null || !COLUMN.matcher(subjectColumn).matches()) {
        throw PolicyReader.error("consent.subjectColumn", "'" + subjectColumn + "' does not name a column");
      }
      excludedSubjects = excludedSubjects == null ? List.of() : List.copyOf(new TreeSet<>(excludedSubjects));
      for (String s : excludedSubjects) {
        if (!SUBJECT_DIGEST.matcher(s).matches()) {
          throw PolicyReader.error("consent.excludedSubjects", "entries must be subject digests (64 lower-case hex digits, as"
              + " './covenant policy consent-digest' prints them), never the subject ids themselves");
        }
      }
    }
  }

  /**
   * A differential-privacy budget (Dwork &amp; Roth, "The Algorithmic Foundations of Differential Privacy", 2014): each
   * query spends {@code epsilonPerQuery}; the owner allows {@code epsilonTotal} over the policy's life (sequential
   * composition, their Theorem 3.16). {@code bounds} declares, per numeric column, the range the engine clamps each
   * value to before summing or averaging it: the clamp is what bounds one record's influence (the sensitivity) and
   * so the noise. A query aggregating a column without declared bounds is denied (rule {@code privacy:bounds}).
   */
  public record PrivacyBudget(BigDecimal epsilonPerQuery, BigDecimal epsilonTotal, Map<String, Bounds> bounds, Mechanism mechanism,
      Optional<BigDecimal> deltaPerQuery) {
    /** The largest δ per query a policy may set: δ should be far below one over the number of records. */
    public static final BigDecimal MAX_DELTA = new BigDecimal("0.0001");

    /**
     * How the noise is drawn. {@code privacy.mechanism}: {@code laplace} (the default; ε-DP) or {@code gaussian}
     * ((ε, δ)-DP with {@code privacy.deltaPerQuery}; lighter tails, and composes more tightly over many statistics).
     */
    public enum Mechanism {
      LAPLACE, GAUSSIAN;

      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    public PrivacyBudget {
      if (mechanism == null) mechanism = Mechanism.LAPLACE;
      deltaPerQuery = deltaPerQuery == null ? Optional.empty() : deltaPerQuery.map(PrivacyBudget::canonical);
      if (mechanism == Mechanism.GAUSSIAN && deltaPerQuery.isEmpty()) {
        throw PolicyReader.error("privacy.deltaPerQuery", "is missing: the gaussian mechanism is (epsilon, delta)-DP; give a delta such as 0.000001");
      }
      if (mechanism == Mechanism.LAPLACE && deltaPerQuery.isPresent()) {
        throw PolicyReader.error("privacy.deltaPerQuery", "is set, but the laplace mechanism spends no delta; set mechanism: gaussian, or drop it");
      }
      if (deltaPerQuery.isPresent() && (deltaPerQuery.get().signum() <= 0 || deltaPerQuery.get().compareTo(MAX_DELTA) > 0)) {
        throw PolicyReader.error("privacy.deltaPerQuery", "must be above 0 and at most " + MAX_DELTA.toPlainString() + " (delta is the chance the "
            + "epsilon guarantee fails, and should be far below one over the number of records), got " + deltaPerQuery.get().toPlainString());
      }
      if (epsilonPerQuery == null || epsilonPerQuery.signum() <= 0) throw PolicyReader.error("privacy.epsilonPerQuery", "must be a number above 0");
      if (epsilonTotal == null || epsilonTotal.signum() <= 0) throw PolicyReader.error("privacy.epsilonTotal", "must be a number above 0");
      if (epsilonPerQuery.compareTo(epsilonTotal) > 0) {
        throw PolicyReader.error("privacy.epsilonPerQuery", "(" + epsilonPerQuery.toPlainString() + ") must not exceed epsilonTotal (" + epsilonTotal.toPlainString() + ")");
      }
      epsilonPerQuery = canonical(epsilonPerQuery);
      epsilonTotal = canonical(epsilonTotal);
      SortedMap<String, Bounds> b = new TreeMap<>();
      if (bounds != null) {
        bounds.forEach((column, range) -> {
          if (column == null || !COLUMN.matcher(column).matches()) {
            throw PolicyReader.error("privacy.bounds." + column, "does not name a column: use lower-case letters, digits and '_', starting with a letter");
          }
          if (range == null) throw PolicyReader.error("privacy.bounds." + column, "has no range");
          b.put(column, range);
        });
      }
      bounds = java.util.Collections.unmodifiableSortedMap(b);
    }

    /** A budget without declared bounds: only COUNT can then be noised. */
    public PrivacyBudget(BigDecimal epsilonPerQuery, BigDecimal epsilonTotal) {
      this(epsilonPerQuery, epsilonTotal, Map.of());
    }

    /** A budget spent with the Laplace mechanism. */
    public PrivacyBudget(BigDecimal epsilonPerQuery, BigDecimal epsilonTotal, Map<String, Bounds> bounds) {
      this(epsilonPerQuery, epsilonTotal, bounds, Mechanism.LAPLACE, Optional.empty());
    }

    private static BigDecimal canonical(BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** Whether one more query fits after {@code spent} has been used. */
    public boolean admitsQueryAfter(BigDecimal spent) {
      return spent.add(epsilonPerQuery).compareTo(epsilonTotal) <= 0;
    }

    /** The declared range of {@code column}, if any. */
    public Optional<Bounds> boundsOf(String column) {
      return Optional.ofNullable(bounds.get(column));
    }
  }

  /**
   * What may leave the enclave about a sensitive column (one the dataset's schema tags {@code sensitive}, or one the
   * policy rules {@code aggregate}) beyond noisy COUNT, SUM and AVG. Both default to false; both are written in the
   * policy's {@code privacy} object.
   *
   * @param exact {@code privacy.exact}: statistics of sensitive columns are released exactly, without a privacy budget.
   *     Two exact answers whose cohorts differ by one person give that person's value (a differencing attack; Dinur
   *     &amp; Nissim, PODS 2003, show how few such answers reconstruct a whole column), so {@link #warnings()} names it
   * @param orderStatistics {@code privacy.orderStatistics}: MIN, MAX, MEDIAN, MODE and quantiles of sensitive columns
   *     are allowed. Each of them is one record's value, so they are refused unless this is true; under a budget they
   *     are noised at their global sensitivity (the clamped range)
   */
  public record Release(boolean exact, boolean orderStatistics) {
    /** The default: sensitive columns leave only as noisy COUNT, SUM and AVG, under a budget. */
    public static final Release NOISY_ONLY = new Release(false, false);
  }

  /**
   * Model training inside the enclave ({@code Computation.ModelTraining}), which the owner allows explicitly: the
   * training's feature query may output (as a feature or as the label) only the columns listed here, whatever their
   * column rule; everywhere else in the query (WHERE, JOIN ... ON) the column rules apply as for any query. The enclave
   * trains only when the feature query returns at least {@code minRows} rows, and releases the model and its training
   * metric sealed to the consumer, never a per-row prediction. A model is not differentially private, so a policy that
   * sets a privacy budget admits no training (fail closed; see {@code PolicyEvaluator}).
   *
   * @param columns the columns a model may learn from or predict, at least one
   * @param minRows the fewest rows a model may be trained on; at least the policy's minCohort
   */
  public record Training(List<String> columns, long minRows) {
    public Training {
      if (columns == null || columns.isEmpty()) {
        throw PolicyReader.error("training.columns", "must list at least one column a model may learn from or predict");
      }
      TreeSet<String> set = new TreeSet<>();
      for (String c : columns) {
        if (c == null || !COLUMN.matcher(c).matches()) {
          throw PolicyReader.error("training.columns", "entry '" + c + "' does not name a column: use lower-case letters, digits and '_', starting with a letter");
        }
        set.add(c);
      }
      columns = List.copyOf(set);
      if (minRows < 1) throw PolicyReader.error("training.minRows", "must be 1 or more, got " + minRows);
    }

    /** Whether a model may learn from or predict {@code column}. */
    public boolean allows(String column) {
      return columns.contains(column);
    }
  }

  /**
   * What a private set intersection on this dataset's id column may reveal ({@code Computation.PrivateSetIntersection}
   * and the alignment of a vertical model). Written in the policy's {@code matching} object; both default to false.
   *
   * <p>In a PSI each party that receives the output learns which of its own ids also occur in the other's dataset:
   * for an insurer, which of its customers are this hospital's patients. That is a fact about this dataset's data
   * subjects, so the owner decides whether another organisation may learn it. The coordinator never learns it.
   *
   * @param revealMatches {@code matching.revealMatches}: the other party of a PSI may learn which of its ids occur in this
   *     dataset. Without it, only this dataset's owner may receive an intersection that involves it, and a vertical
   *     model (which both owners align on) is refused
   * @param revealCount {@code matching.revealCount}: the number of matched ids may go on the ledger with the result, where
   *     every auditor reads it; without it RESULT_COMMITTED records 0 output rows for the intersection
   */
  public record Matching(boolean revealMatches, boolean revealCount) {
    /** The default: an intersection reveals nothing to the other party and nothing to the ledger. */
    public static final Matching PRIVATE = new Matching(false, false);
  }

  /**
   * What the owner's node does to its output on the homomorphic-encryption engine ({@code "he"} in the policy): a
   * scoring job scores at most {@code maxRows} rows (the first ones, in the dataset's order) and adds to each score
   * independent noise uniform in ±{@code scoreNoise} (a rounding the consumer cannot undo); an aggregate counts and sums
   * only groups of at least the policy's minCohort rows of this owner (smaller groups contribute zero).
   */
  public record He(long maxRows, BigDecimal scoreNoise) {
    /** Without an {@code he} block: a million rows per scoring job, no noise. */
    public static final He DEFAULT = new He(1_000_000, BigDecimal.ZERO);

    public He {
      if (maxRows < 1) throw PolicyReader.error("he.maxRows", "must be 1 or more, got " + maxRows);
      if (scoreNoise == null || scoreNoise.signum() < 0) throw PolicyReader.error("he.scoreNoise", "must be 0 or a positive number");
      scoreNoise = scoreNoise.stripTrailingZeros();
    }
  }

  /**
   * What the owner requires of multi-party jobs on the dataset ({@code "mpc": {"security": ...}}): {@code semi-honest}
   * (the default) accepts either mode; {@code malicious} makes the owner's node refuse a job scheduled in the
   * semi-honest mode (docs/threat-model.md says what each mode protects against).
   */
  public record Mpc(io.covenant.core.job.MpcSecurity security) {
    public static final Mpc DEFAULT = new Mpc(io.covenant.core.job.MpcSecurity.SEMI_HONEST);

    public Mpc {
      if (security == null) throw PolicyReader.error("mpc.security", "is missing: use semi-honest or malicious");
    }
  }

  /** The homomorphic-encryption engine's output controls: the policy's {@code he} block, or {@link He#DEFAULT}. */
  public He heControls() {
    return he.orElse(He.DEFAULT);
  }

  /**
   * Risks a policy takes on knowingly, each as a sentence for {@code policy validate}. Empty for a policy that releases
   * only noisy statistics of its sensitive columns.
   */
  public List<String> warnings() {
    List<String> out = new java.util.ArrayList<>();
    if (release.exact()) {
      out.add("privacy.exact is true: statistics of sensitive columns are released exactly, without a privacy budget, so two "
          + "queries whose cohorts differ by one person (say ages 60-65 and 60-64) give that person's exact value by "
          + "subtraction; the minimum cohort does not prevent it. Set a privacy budget (epsilonPerQuery, epsilonTotal, bounds) instead "
          + "unless every consumer is trusted with individual values");
    }
    if (release.orderStatistics()) {
      out.add("privacy.orderStatistics is true: MIN, MAX, MEDIAN, MODE and quantiles of sensitive columns are allowed; each is one "
          + "record's value" + (privacy.isPresent() ? " (noised under the budget at the full clamped range, which usually drowns it)"
              : ", released exactly: MAX(claim_cost) over any cohort returns one patient's claim cost"));
    }
    training.ifPresent(t -> out.add("training is allowed on " + String.join(", ", t.columns()) + " (at least " + t.minRows() + " rows): "
        + "a model is not differentially private and can remember individual records it was trained on (membership inference), "
        + "so give the consumer only the training it needs and keep minRows large"));
    if (matching.revealMatches()) {
      out.add("matching.revealMatches is true: the other party of a set intersection on this dataset's id column learns which of its "
          + "ids occur here (for an insurer, which of its customers are in this dataset); allow it only to assignees entitled to that fact");
    }
    if (matching.revealCount()) {
      out.add("matching.revealCount is true: the number of ids an intersection matched goes on the ledger, where every auditor reads it");
    }
    if (privacy.isEmpty() && !release.exact()) {
      out.add("the policy has no privacy budget and does not set privacy.exact, so every query that uses a sensitive column "
          + "(tagged sensitive in the dataset's schema, or ruled aggregate here) is denied (privacy:exact); add a budget to allow noisy statistics");
    }
    return List.copyOf(out);
  }

  /**
   * The range {@code [lower, upper]} the engine clamps a column's values to under a privacy budget. Written
   * {@code [0, 200000]} in the policy document.
   */
  public record Bounds(BigDecimal lower, BigDecimal upper) {
    private static final BigDecimal LIMIT = new BigDecimal("1e15");

    public Bounds {
      if (lower == null || upper == null) throw new MalformedInputException("a range needs a lower and an upper bound");
      if (lower.compareTo(upper) >= 0) {
        throw new MalformedInputException("the range [" + lower.toPlainString() + ", " + upper.toPlainString() + "] is empty: the lower bound must be below the upper");
      }
      if (lower.abs().compareTo(LIMIT) > 0 || upper.abs().compareTo(LIMIT) > 0) {
        throw new MalformedInputException("the range [" + lower.toPlainString() + ", " + upper.toPlainString() + "] exceeds +/-1e15, beyond which sums lose precision");
      }
      lower = PrivacyBudget.canonical(lower);
      upper = PrivacyBudget.canonical(upper);
    }

    /** The largest absolute value a clamped value can have: one record's largest effect on a sum. */
    public BigDecimal magnitude() {
      return lower.abs().max(upper.abs());
    }

    /**
     * The step γ = 10^(floor(log10(magnitude)) - 6) that clamped values are rounded to before they are summed as
     * integers: one record then moves an integer sum by at most {@link #sumSensitivity()}, between 10^6 and 10^7, so the
     * rounding stays a millionth of a noise scaled to it. Both engines scale the same way, so the same query under the
     * same policies is noised alike.
     */
    public BigDecimal granularity() {
      BigDecimal m = magnitude();
      return BigDecimal.ONE.scaleByPowerOfTen(m.precision() - m.scale() - 1 - 6);
    }

    /** One record's largest effect on the integer-scaled sum: ceil(magnitude / γ). */
    public long sumSensitivity() {
      return magnitude().divide(granularity()).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
  }

  /**
   * Reads a policy document. Errors name the field that is wrong (or the line and column, for text that is not JSON).
   */
  public static Policy parse(String json) {
    Json.JObject root;
    try {
      root = Json.parseObject(json);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("the policy document is not valid JSON: " + e.getMessage(), e);
    }
    return fromJson(root);
  }

  /** Reads a policy from an already-parsed JSON object. */
  public static Policy fromJson(Json.JObject root) {
    PolicyReader r = new PolicyReader(root, "");
    r.allowOnly(FIELDS);
    long version = r.whole("covenantPolicy");
    if (version != LANGUAGE_VERSION) {
      throw PolicyReader.error("covenantPolicy", "is " + version + " but this evaluator reads policy language version " + LANGUAGE_VERSION);
    }
    String id = r.string("id");
    DatasetId dataset = PolicyReader.convert("dataset", r.string("dataset"), DatasetId::parse);
    List<OrgId> assignees = r.list("assignees", OrgId::new);
    List<Purpose> purposes = r.list("purposes", Purpose::new);
    List<Engine> engines = r.list("engines", Engine::parse);

    Tee tee = new Tee(false, List.of());
    if (r.has("tee")) {
      PolicyReader t = r.object("tee");
      t.allowOnly(Set.of("allowSimulated", "measurements", "freshnessEntries"));
      tee = new Tee(t.bool("allowSimulated", false), t.has("measurements") ? t.list("measurements", Measurement::new) : List.of(),
          t.has("freshnessEntries") ? t.whole("freshnessEntries") : Tee.DEFAULT_FRESHNESS_ENTRIES);
    }
    Optional<Instant> validFrom = r.has("validFrom") ? Optional.of(instant(r, "validFrom")) : Optional.empty();
    Optional<Instant> validUntil = r.has("validUntil") ? Optional.of(instant(r, "validUntil")) : Optional.empty();

    long minCohort = r.whole("minCohort");
    if (minCohort < 1 || minCohort > Integer.MAX_VALUE) {
      throw PolicyReader.error("minCohort", "must be 1 or more (the smallest group a result may describe), got " + minCohort);
    }

    Map<String, ColumnRule> columns = new LinkedHashMap<>();
    if (r.has("columns")) {
      PolicyReader c = r.object("columns");
      for (Map.Entry<String, Json> e : c.raw().members().entrySet()) {
        String field = c.path(e.getKey());
        if (!(e.getValue() instanceof Json.JString s)) throw PolicyReader.error(field, "must be a rule name (plain, dimension, aggregate, join, filter or never)");
        if (!COLUMN.matcher(e.getKey()).matches()) {
          throw PolicyReader.error(field, "does not name a column: use lower-case letters, digits and '_', starting with a letter");
        }
        columns.put(e.getKey(), PolicyReader.convert(field, s.value(), ColumnRule::parse));
      }
    }
    ColumnRule defaultRule = r.has("defaultColumnRule")
        ? PolicyReader.convert("defaultColumnRule", r.string("defaultColumnRule"), ColumnRule::parse)
        : ColumnRule.NEVER;

    Approval approval = new Approval(false);
    if (r.has("approval")) {
      PolicyReader a = r.object("approval");
      a.allowOnly(Set.of("required"));
      approval = new Approval(a.bool("required", false));
    }
    OptionalLong maxUses = r.has("maxUses") ? OptionalLong.of(r.whole("maxUses")) : OptionalLong.empty();
    List<String> obligations = r.has("obligations") ? r.list("obligations", s -> s) : List.of();

    Optional<Consent> consent = Optional.empty();
    if (r.has("consent")) {
      PolicyReader c = r.object("consent");
      c.allowOnly(Set.of("subjectColumn", "excludedSubjects"));
      consent = Optional.of(new Consent(c.string("subjectColumn"),
          c.has("excludedSubjects") ? c.list("excludedSubjects", s -> s) : List.of()));
    }
    Optional<PrivacyBudget> privacy = Optional.empty();
    Release release = Release.NOISY_ONLY;
    if (r.has("privacy")) {
      PolicyReader p = r.object("privacy");
      p.allowOnly(Set.of("epsilonPerQuery", "epsilonTotal", "bounds", "mechanism", "deltaPerQuery", "exact", "orderStatistics"));
      release = new Release(p.bool("exact", false), p.bool("orderStatistics", false));
      if (release.exact() && (p.has("epsilonPerQuery") || p.has("epsilonTotal") || p.has("bounds"))) {
        throw PolicyReader.error("privacy.exact", "is true, but the policy also sets a privacy budget; a policy either releases exact "
            + "statistics (exact: true, no budget) or noisy ones (epsilonPerQuery, epsilonTotal, bounds), not both");
      }
    }
    if (r.has("privacy") && !release.exact()) {
      PolicyReader p = r.object("privacy");
      if (!p.has("epsilonPerQuery") && !p.has("epsilonTotal")) {
        throw PolicyReader.error("privacy", "sets no budget: give epsilonPerQuery and epsilonTotal (and bounds for summed columns), "
            + "or set exact: true to release exact statistics knowingly");
      }
      Map<String, Bounds> bounds = new LinkedHashMap<>();
      if (p.has("bounds")) {
        PolicyReader b = p.object("bounds");
        for (Map.Entry<String, Json> e : b.raw().members().entrySet()) {
          String field = b.path(e.getKey());
          if (!(e.getValue() instanceof Json.JArray a) || a.items().size() != 2
              || !(a.items().get(0) instanceof Json.JNumber lo) || !(a.items().get(1) instanceof Json.JNumber hi)) {
            throw PolicyReader.error(field, "must be a range of two numbers, [lower, upper], e.g. [0, 200000]");
          }
          try {
            bounds.put(e.getKey(), new Bounds(lo.value(), hi.value()));
          } catch (MalformedInputException x) {
            throw PolicyReader.error(field, "is not valid: " + x.getMessage());
          }
        }
      }
      PrivacyBudget.Mechanism mechanism = switch (p.has("mechanism") ? p.string("mechanism") : "laplace") {
        case "laplace" -> PrivacyBudget.Mechanism.LAPLACE;
        case "gaussian" -> PrivacyBudget.Mechanism.GAUSSIAN;
        default -> throw PolicyReader.error("privacy.mechanism", "'" + p.string("mechanism") + "' is not known: use laplace or gaussian");
      };
      privacy = Optional.of(new PrivacyBudget(p.number("epsilonPerQuery"), p.number("epsilonTotal"), bounds, mechanism,
          p.has("deltaPerQuery") ? Optional.of(p.number("deltaPerQuery")) : Optional.empty()));
    }
    Optional<Training> training = Optional.empty();
    if (r.has("training")) {
      PolicyReader t = r.object("training");
      t.allowOnly(Set.of("columns", "minRows"));
      training = Optional.of(new Training(t.list("columns", s -> s), t.has("minRows") ? t.whole("minRows") : minCohort));
    }
    Optional<He> he = Optional.empty();
    if (r.has("he")) {
      PolicyReader h = r.object("he");
      h.allowOnly(Set.of("maxRows", "scoreNoise"));
      he = Optional.of(new He(h.has("maxRows") ? h.whole("maxRows") : He.DEFAULT.maxRows(), h.has("scoreNoise") ? h.number("scoreNoise") : BigDecimal.ZERO));
    }
    Mpc mpc = Mpc.DEFAULT;
    if (r.has("mpc")) {
      PolicyReader m = r.object("mpc");
      m.allowOnly(Set.of("security"));
      String security = m.string("security");
      try {
        mpc = new Mpc(io.covenant.core.job.MpcSecurity.parse(security));
      } catch (io.covenant.core.error.MalformedInputException e) {
        throw PolicyReader.error("mpc.security", "'" + security + "' is not known: use semi-honest (either mode may run) or malicious (only SPDZ jobs)");
      }
    }
    return new Policy(id, dataset, assignees, purposes, engines, tee, validFrom, validUntil, (int) minCohort,
        columns, defaultRule, approval, maxUses, obligations, consent, privacy, release, training, matching(r), he, mpc);
  }

  private static Matching matching(PolicyReader r) {
    if (!r.has("matching")) return Matching.PRIVATE;
    PolicyReader m = r.object("matching");
    m.allowOnly(Set.of("revealMatches", "revealCount"));
    return new Matching(m.bool("revealMatches", false), m.bool("revealCount", false));
  }

  private static Instant instant(PolicyReader r, String name) {
    String text = r.string(name);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw PolicyReader.error(name, "'" + text + "' is not a UTC timestamp like 2026-01-01T00:00:00Z");
    }
  }

  /** The canonical JSON form (RFC 8785 member order via core's {@link Json}); {@code parse(toJson().encode())} equals this. */
  public Json.JObject toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("covenantPolicy", LANGUAGE_VERSION);
    m.put("id", id);
    m.put("dataset", dataset.toString());
    m.put("assignees", assignees.stream().map(OrgId::value).toList());
    m.put("purposes", purposes.stream().map(Purpose::value).toList());
    m.put("engines", engines.stream().map(Engine::wireName).toList());
    // The window is written only when it is not the default, so the text (and hash) of every earlier policy is unchanged.
    m.put("tee", tee.freshnessEntries() == Tee.DEFAULT_FRESHNESS_ENTRIES
        ? Json.obj("allowSimulated", tee.allowSimulated(), "measurements", tee.measurements().stream().map(Measurement::hex).toList())
        : Json.obj("allowSimulated", tee.allowSimulated(), "measurements", tee.measurements().stream().map(Measurement::hex).toList(),
            "freshnessEntries", tee.freshnessEntries()));
    validFrom.ifPresent(t -> m.put("validFrom", t.toString()));
    validUntil.ifPresent(t -> m.put("validUntil", t.toString()));
    m.put("minCohort", minCohort);
    Map<String, Object> cols = new TreeMap<>();
    columns.forEach((k, v) -> cols.put(k, v.wireName()));
    m.put("columns", cols);
    m.put("defaultColumnRule", defaultColumnRule.wireName());
    m.put("approval", Json.obj("required", approval.required()));
    maxUses.ifPresent(n -> m.put("maxUses", n));
    if (!obligations.isEmpty()) m.put("obligations", obligations);
    consent.ifPresent(c -> m.put("consent", Json.obj("subjectColumn", c.subjectColumn(), "excludedSubjects", c.excludedSubjects())));
    privacy.ifPresent(p -> {
      Map<String, Object> budget = new LinkedHashMap<>();
      budget.put("epsilonPerQuery", p.epsilonPerQuery());
      budget.put("epsilonTotal", p.epsilonTotal());
      if (!p.bounds().isEmpty()) {
        Map<String, Object> b = new TreeMap<>();
        p.bounds().forEach((k, v) -> b.put(k, List.of(v.lower(), v.upper())));
        budget.put("bounds", b);
      }
      // Written only for the gaussian mechanism, so that Laplace budgets keep the hash they had before it existed.
      if (p.mechanism() == PrivacyBudget.Mechanism.GAUSSIAN) {
        budget.put("mechanism", p.mechanism().wireName());
        budget.put("deltaPerQuery", p.deltaPerQuery().orElseThrow());
      }
      m.put("privacy", budget);
    });
    // Written only when set, so that policies without them keep the hash they had before these fields existed.
    if (release.exact() || release.orderStatistics()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> privacyObject = (Map<String, Object>) m.computeIfAbsent("privacy", k -> new LinkedHashMap<String, Object>());
      if (release.exact()) privacyObject.put("exact", true);
      if (release.orderStatistics()) privacyObject.put("orderStatistics", true);
    }
    // Written only when set, so that policies without it keep their hash.
    training.ifPresent(t -> m.put("training", Json.obj("columns", t.columns(), "minRows", t.minRows())));
    // Written only when set, so that policies without it keep their hash.
    if (!matching.equals(Matching.PRIVATE)) m.put("matching", Json.obj("revealMatches", matching.revealMatches(), "revealCount", matching.revealCount()));
    he.ifPresent(h -> m.put("he", Json.obj("maxRows", h.maxRows(), "scoreNoise", h.scoreNoise())));
    // Written only when set, so that policies without it keep their hash.
    if (!mpc.equals(Mpc.DEFAULT)) m.put("mpc", Json.obj("security", mpc.security().wireName()));
    return (Json.JObject) Json.from(m);
  }

  /**
   * The consortium's hash (SHA-256 under {@code intl}, SM3 under {@code sm}) of the canonical JSON: what
   * {@code POLICY_PUBLISHED} records and what every module that holds the policy's text recomputes and compares.
   */
  public Digest hash(io.covenant.core.crypto.CryptoSuite suite) {
    return suite.hash(toJson().canonicalBytes());
  }

  /**
   * The numbers of this policy that go on the ledger with its hash (POLICY_PUBLISHED), so that an auditor can check
   * every debit against them without the policy's text: maxUses and the privacy budget.
   */
  public AuditEvent.PolicyLimits ledgerLimits() {
    return new AuditEvent.PolicyLimits(maxUses, privacy.map(PrivacyBudget::epsilonPerQuery), privacy.map(PrivacyBudget::epsilonTotal),
        privacy.flatMap(PrivacyBudget::deltaPerQuery));
  }

  /** The rule for a column: its own, or {@link #defaultColumnRule()} if the policy does not list it. */
  public ColumnRule ruleFor(String column) {
    return columns.getOrDefault(column, defaultColumnRule);
  }

  /**
   * Whether the owner's key service may release the dataset key to an enclave with this launch measurement. A
   * simulated enclave protects nothing against its host, so it is refused unless {@code tee.allowSimulated} is true.
   */
  public boolean allowsMeasurement(Measurement m, boolean simulated) {
    if (m == null || !engines.contains(Engine.TEE)) return false;
    if (simulated && !tee.allowSimulated()) return false;
    return tee.measurements().contains(m);
  }

  /** Whether the policy is in force at {@code at}: validFrom inclusive, validUntil exclusive. */
  public boolean isValidAt(Instant at) {
    return validFrom.map(f -> !at.isBefore(f)).orElse(true) && validUntil.map(u -> at.isBefore(u)).orElse(true);
  }

  @Override
  public String toString() {
    return "policy " + id + " for " + dataset;
  }
}
