package io.covenant.coordinator.catalogue;

import io.covenant.coordinator.job.JobState;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.job.JobRequest;
import io.covenant.core.schema.DatasetSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The coordinator's database: catalogue of dataset versions and policies, job states, owners' approvals and usage
 * accounting. It holds ids, hashes, schemas and policy texts; it never holds a data value or a key. Every method is
 * atomic.
 *
 * <p>Two engines, one schema: embedded H2 in the data directory (the default; one process at a time, H2 locks the
 * file) or a PostgreSQL server, which several coordinator processes may share. The schema comes from the numbered
 * {@link Migration}s, applied once each and recorded in {@code schema_migrations}; on PostgreSQL they run in one
 * transaction under an advisory lock, so two coordinators starting together apply them once, and a migration that
 * fails leaves the database as it was.
 */
public final class CoordinatorStore implements AutoCloseable {
  /** Advisory-lock keys (PostgreSQL): any 64-bit numbers that other users of a shared server are unlikely to pick. */
  private static final long MIGRATION_LOCK = 0x436f76656e616e01L;
  private static final long AUTHORISATION_LOCK = 0x436f76656e616e02L;
  /** One lock per H2 database file, so two stores on the same file in one JVM also take turns. */
  private static final Map<String, ReentrantLock> H2_FILE_LOCKS = new ConcurrentHashMap<>();

  private final Connection db;
  private final Dialect dialect;
  /** Serialises authorisation decisions in this JVM; on PostgreSQL {@link #lockConnection} extends that to every process. */
  private final ReentrantLock authorisation;
  /** PostgreSQL only: the session that holds the authorisation advisory lock, apart from {@link #db} so waiting for it never blocks readers. */
  private final Connection lockConnection;
  private final List<Integer> appliedOnOpen;

  private CoordinatorStore(Connection db, Dialect dialect, ReentrantLock authorisation, Connection lockConnection, List<Integer> appliedOnOpen) {
    this.db = db;
    this.dialect = dialect;
    this.authorisation = authorisation;
    this.lockConnection = lockConnection;
    this.appliedOnOpen = List.copyOf(appliedOnOpen);
  }

  /** The SQL that differs between the two engines; everything else is written once. */
  enum Dialect {
    H2("CLOB", "NEXT VALUE FOR policy_seq"),
    POSTGRESQL("TEXT", "nextval('policy_seq')");

    final String text;
    final String nextPolicySeq;

    Dialect(String text, String nextPolicySeq) {
      this.text = text;
      this.nextPolicySeq = nextPolicySeq;
    }
  }

  /** One step of the schema, applied once; every statement is also idempotent, so databases from before numbering open. */
  record Migration(int version, String description, List<String> statements) {}

  static List<Migration> migrations(Dialect d) {
    return List.of(
        new Migration(1, "catalogue and jobs", List.of(
            """
            CREATE TABLE IF NOT EXISTS datasets (
              version VARCHAR(200) PRIMARY KEY, dataset VARCHAR(200) NOT NULL, version_no INT NOT NULL,
              manifest VARCHAR(120) NOT NULL, row_count BIGINT NOT NULL, shards INT NOT NULL,
              schema_json %1$s NOT NULL, published_at TIMESTAMP WITH TIME ZONE NOT NULL)""".formatted(d.text),
            """
            CREATE TABLE IF NOT EXISTS policies (
              policy_hash VARCHAR(64) PRIMARY KEY, dataset VARCHAR(200) NOT NULL, policy_id VARCHAR(200) NOT NULL,
              policy_json %1$s NOT NULL, published_at TIMESTAMP WITH TIME ZONE NOT NULL, revoked BOOLEAN DEFAULT FALSE NOT NULL)""".formatted(d.text),
            """
            CREATE TABLE IF NOT EXISTS jobs (
              job_id VARCHAR(40) PRIMARY KEY, request_json %1$s NOT NULL, state VARCHAR(20) NOT NULL,
              reasons %1$s NOT NULL, result_cid VARCHAR(120), result_hash VARCHAR(64),
              submitted_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""".formatted(d.text))),
        new Migration(2, "policy publication order", List.of(
            "CREATE SEQUENCE IF NOT EXISTS policy_seq",
            "ALTER TABLE policies ADD COLUMN IF NOT EXISTS seq BIGINT")),
        new Migration(3, "usage accounting", List.of(
            """
            CREATE TABLE IF NOT EXISTS policy_usage (
              policy_hash VARCHAR(64) NOT NULL, consumer VARCHAR(64) NOT NULL, uses BIGINT NOT NULL,
              epsilon DECIMAL(30, 12) NOT NULL, PRIMARY KEY (policy_hash, consumer))""")),
        new Migration(4, "owners' approvals", List.of(
            """
            CREATE TABLE IF NOT EXISTS approvals (
              job_id VARCHAR(40) NOT NULL, dataset VARCHAR(200) NOT NULL, approved BOOLEAN NOT NULL, note %1$s NOT NULL,
              given_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (job_id, dataset))""".formatted(d.text))),
        new Migration(5, "the deployment this database belongs to", List.of(
            """
            CREATE TABLE IF NOT EXISTS deployment (
              singleton INT PRIMARY KEY CHECK (singleton = 1), operator_key VARCHAR(200) NOT NULL,
              bound_at TIMESTAMP WITH TIME ZONE NOT NULL)""")));
  }

  /** The embedded H2 database in {@code dir} (the data directory's {@code coordinator/}). */
  public static CoordinatorStore open(Path dir) {
    String url = "jdbc:h2:" + dir.toAbsolutePath().resolve("coordinator") + ";DB_CLOSE_ON_EXIT=FALSE";
    Connection c;
    try {
      c = DriverManager.getConnection(url, "covenant", "");
    } catch (SQLException e) {
      throw new CovenantException(
          "cannot open the coordinator database (" + e.getMessage() + "); if another covenant process uses this data directory, stop it first", e);
    }
    return migrated(c, Dialect.H2, H2_FILE_LOCKS.computeIfAbsent(url, u -> new ReentrantLock()), null, "the embedded database in " + dir);
  }

  /** A private in-memory database, for tests. */
  public static CoordinatorStore inMemory() {
    try {
      return migrated(DriverManager.getConnection("jdbc:h2:mem:", "covenant", ""), Dialect.H2, new ReentrantLock(), null, "an in-memory database");
    } catch (SQLException e) {
      throw new CovenantException("cannot open an in-memory coordinator database: " + e.getMessage(), e);
    }
  }

  /**
   * The coordinator's database on a PostgreSQL server (which must exist; its tables are created here). Several
   * coordinators may open the same one: they take turns to authorise (see {@link #lockForAuthorisation()}).
   *
   * @throws DatabaseUnavailableException if the server cannot be reached or refuses the login; nothing is changed then
   */
  public static CoordinatorStore open(PostgresDatabase target) {
    Connection c = connect(target);
    Connection lock;
    try {
      lock = connect(target);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    try {
      return migrated(c, Dialect.POSTGRESQL, new ReentrantLock(), lock, target.describe());
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  private static Connection connect(PostgresDatabase target) {
    try {
      return DriverManager.getConnection(target.jdbcUrl(), target.connectionProperties());
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot connect to the coordinator's " + target.describe() + ": " + e.getMessage()
          + "; " + hint(e.getSQLState(), target), e);
    }
  }

  /** What to check, by the SQLSTATE the server or the driver gave (PostgreSQL Appendix A, error codes). */
  private static String hint(String sqlState, PostgresDatabase target) {
    if (sqlState == null) sqlState = "";
    if (sqlState.equals("28P01") || sqlState.equals("28000")) {
      return "check the user and its password (read from the spec's password-file, or from " + PostgresDatabase.PASSWORD_ENV
          + "), and the server's pg_hba.conf";
    }
    if (sqlState.equals("3D000")) {
      return "create the database first (createdb -h " + target.host() + " -p " + target.port() + " -U " + target.user() + " " + target.database() + ")";
    }
    if (sqlState.startsWith("08")) {
      return "check that PostgreSQL runs at " + target.address() + " and accepts TCP connections from this host (listen_addresses, pg_hba.conf, firewalls)";
    }
    return "check the --db setting and the server's log";
  }

  private static CoordinatorStore migrated(Connection c, Dialect dialect, ReentrantLock authorisation, Connection lock, String what) {
    try {
      List<Integer> applied = migrate(c, dialect);
      return new CoordinatorStore(c, dialect, authorisation, lock, applied);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new CovenantException("cannot bring the schema of " + what + " up to date (" + e.getMessage() + "); nothing was changed", e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Applies the migrations this database lacks, in order; returns their versions (empty when it was up to date). */
  private static List<Integer> migrate(Connection c, Dialect dialect) throws SQLException {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    // PostgreSQL changes its schema transactionally: all of it, under a lock other coordinators wait for, or none.
    if (postgres) c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        if (postgres) s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
        s.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
      }
      java.util.Set<Integer> done = new java.util.HashSet<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations")) {
        while (rs.next()) done.add(rs.getInt(1));
      }
      List<Integer> applied = new ArrayList<>();
      for (Migration m : migrations(dialect)) {
        if (done.contains(m.version())) continue;
        try (Statement s = c.createStatement()) {
          for (String sql : m.statements()) s.execute(sql);
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
          p.setInt(1, m.version());
          p.setString(2, m.description());
          p.setTimestamp(3, Timestamp.from(Instant.now()));
          p.executeUpdate();
        }
        applied.add(m.version());
      }
      if (postgres) c.commit();
      return applied;
    } catch (SQLException | RuntimeException e) {
      if (postgres) c.rollback();
      throw e;
    } finally {
      if (postgres) c.setAutoCommit(true);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // Already failing; the first error is the one worth reporting.
    }
  }

  /** The migrations this open applied (empty when the schema was already up to date). */
  public List<Integer> migrationsAppliedOnOpen() {
    return appliedOnOpen;
  }

  /** The highest migration this database has. */
  public synchronized int schemaVersion() {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw failure("read the schema version", e);
    }
  }

  /** The operator key of the deployment this database belongs to, once one opened it (see {@link #bindToDeployment}). */
  public synchronized Optional<String> deploymentKey() {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT operator_key FROM deployment")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      throw failure("read which deployment this database belongs to", e);
    }
  }

  /**
   * Makes this database the one of the deployment whose operator key is {@code operatorKey}, or refuses if it already
   * belongs to another: two deployments on one database would mix their catalogues, jobs and usage counts.
   */
  public synchronized void bindToDeployment(String operatorKey, String deployment) {
    Optional<String> bound = deploymentKey();
    if (bound.isEmpty()) {
      try (PreparedStatement p = db.prepareStatement("INSERT INTO deployment (singleton, operator_key, bound_at) VALUES (1, ?, ?)")) {
        p.setString(1, operatorKey);
        p.setTimestamp(2, Timestamp.from(Instant.now()));
        p.executeUpdate();
        return;
      } catch (SQLException e) {
        // Another coordinator bound it at the same moment: compare with what it wrote.
        bound = deploymentKey();
        if (bound.isEmpty()) throw failure("record which deployment this database belongs to", e);
      }
    }
    if (!bound.get().equals(operatorKey)) {
      throw new CovenantException("this coordinator database belongs to another deployment (operator key "
          + bound.get().substring(0, Math.min(16, bound.get().length())) + "…), not to " + deployment
          + "; give each deployment a database of its own");
    }
  }

  /** A held authorisation lock; closing it lets the next decision in. */
  public interface AuthorisationLock extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the lock under which a decision reads usage ({@link #usage}) and debits it ({@link #authorize}): while one
   * holder decides, no other decision on this database runs, in this process or (on PostgreSQL, through a
   * session-level advisory lock) in any other coordinator process, so no two decisions can both spend the last use
   * or the last epsilon. Hold it in try-with-resources.
   */
  public AuthorisationLock lockForAuthorisation() {
    authorisation.lock();
    if (lockConnection != null) {
      try (Statement s = lockConnection.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + AUTHORISATION_LOCK + ")");
      } catch (SQLException e) {
        authorisation.unlock();
        throw failure("take the authorisation lock", e);
      }
    }
    return () -> {
      try {
        if (lockConnection != null) {
          try (Statement s = lockConnection.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + AUTHORISATION_LOCK + ")");
          } catch (SQLException e) {
            // The lock goes with the session; a session that cannot unlock is closed, which releases it.
            closeQuietly(lockConnection);
            throw failure("release the authorisation lock", e);
          }
        }
      } finally {
        authorisation.unlock();
      }
    };
  }

  // ---- catalogue -------------------------------------------------------------------------------------------------

  public synchronized void registerDataset(DatasetRecord r) {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO datasets VALUES (?,?,?,?,?,?,?,?)")) {
      p.setString(1, r.version().toString());
      p.setString(2, r.version().dataset().toString());
      p.setInt(3, r.version().version());
      p.setString(4, r.manifest().toString());
      p.setLong(5, r.rows());
      p.setInt(6, r.shards());
      p.setString(7, r.schema().toJson().encode());
      p.setTimestamp(8, Timestamp.from(r.publishedAt()));
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("register dataset " + r.version(), e);
    }
  }

  public synchronized Optional<DatasetRecord> dataset(DatasetVersion v) {
    return queryDatasets("SELECT * FROM datasets WHERE version = ?", v.toString()).stream().findFirst();
  }

  public synchronized List<DatasetRecord> datasets() {
    return queryDatasets("SELECT * FROM datasets ORDER BY dataset, version_no");
  }

  /** The highest published version number of a dataset, or 0 if none. */
  public synchronized int latestVersion(DatasetId id) {
    try (PreparedStatement p = db.prepareStatement("SELECT COALESCE(MAX(version_no), 0) FROM datasets WHERE dataset = ?")) {
      p.setString(1, id.toString());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw failure("read dataset versions", e);
    }
  }

  private List<DatasetRecord> queryDatasets(String sql, String... args) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) p.setString(i + 1, args[i]);
      List<DatasetRecord> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new DatasetRecord(
              DatasetVersion.parse(rs.getString("version")), Cid.parse(rs.getString("manifest")), rs.getLong("row_count"),
              rs.getInt("shards"), DatasetSchema.fromJson(((Json.JArray) Json.parse(rs.getString("schema_json"))).items()),
              rs.getTimestamp("published_at").toInstant()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read datasets", e);
    }
  }

  public synchronized void putPolicy(PolicyRecord r) {
    // Re-publishing a policy makes it current again: it gets a new sequence number. Delete and insert are one
    // transaction, so no reader (in any coordinator on the database) sees the policy missing in between.
    inTransaction("store policy " + r.policyId(), () -> {
      try (PreparedStatement del = db.prepareStatement("DELETE FROM policies WHERE policy_hash = ?")) {
        del.setString(1, r.hash().hex());
        del.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement("INSERT INTO policies (policy_hash, dataset, policy_id, policy_json, published_at, revoked, seq) VALUES (?,?,?,?,?,FALSE," + dialect.nextPolicySeq + ")")) {
        p.setString(1, r.hash().hex());
        p.setString(2, r.dataset().toString());
        p.setString(3, r.policyId());
        p.setString(4, r.json());
        p.setTimestamp(5, Timestamp.from(r.publishedAt()));
        p.executeUpdate();
      }
    });
  }

  /**
   * The policy in force for a dataset: the most recently published one, unless it was revoked. Revoking the latest
   * policy leaves the dataset with none (nothing may be computed); it never brings an older policy back.
   */
  public synchronized Optional<PolicyRecord> currentPolicy(DatasetId dataset) {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT * FROM policies WHERE dataset = ? ORDER BY seq DESC NULLS LAST, published_at DESC LIMIT 1")) {
      p.setString(1, dataset.toString());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next() || rs.getBoolean("revoked")) return Optional.empty();
        return Optional.of(new PolicyRecord(
            DatasetId.parse(rs.getString("dataset")), rs.getString("policy_id"), Digest.parse(rs.getString("policy_hash")),
            rs.getString("policy_json"), rs.getTimestamp("published_at").toInstant()));
      }
    } catch (SQLException e) {
      throw failure("read the policy of " + dataset, e);
    }
  }

  /** A policy published here, by the hash the ledger records (revoked or not): what a job was authorised under. */
  public synchronized Optional<PolicyRecord> policy(Digest policyHash) {
    try (PreparedStatement p = db.prepareStatement("SELECT * FROM policies WHERE policy_hash = ?")) {
      p.setString(1, policyHash.hex());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(new PolicyRecord(
            DatasetId.parse(rs.getString("dataset")), rs.getString("policy_id"), Digest.parse(rs.getString("policy_hash")),
            rs.getString("policy_json"), rs.getTimestamp("published_at").toInstant()));
      }
    } catch (SQLException e) {
      throw failure("read policy " + policyHash.shortForm(), e);
    }
  }

  /** Every policy ever published, in publication order, each with whether it is in force, superseded or revoked. */
  public synchronized List<PublishedPolicy> policies() {
    try (PreparedStatement p = db.prepareStatement("SELECT * FROM policies ORDER BY seq NULLS FIRST, published_at");
        ResultSet rs = p.executeQuery()) {
      List<PolicyRecord> records = new ArrayList<>();
      List<Boolean> revoked = new ArrayList<>();
      while (rs.next()) {
        records.add(new PolicyRecord(
            DatasetId.parse(rs.getString("dataset")), rs.getString("policy_id"), Digest.parse(rs.getString("policy_hash")),
            rs.getString("policy_json"), rs.getTimestamp("published_at").toInstant()));
        revoked.add(rs.getBoolean("revoked"));
      }
      // The last one published for a dataset is the current one (as in currentPolicy); in force unless revoked.
      java.util.Map<DatasetId, Integer> last = new java.util.HashMap<>();
      for (int i = 0; i < records.size(); i++) last.put(records.get(i).dataset(), i);
      List<PublishedPolicy> out = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        PublishedPolicy.Status status = revoked.get(i) ? PublishedPolicy.Status.REVOKED
            : last.get(records.get(i).dataset()) == i ? PublishedPolicy.Status.IN_FORCE : PublishedPolicy.Status.SUPERSEDED;
        out.add(new PublishedPolicy(records.get(i), status));
      }
      return out;
    } catch (SQLException e) {
      throw failure("list policies", e);
    }
  }

  public synchronized void revokePolicy(Digest policyHash) {
    try (PreparedStatement p = db.prepareStatement("UPDATE policies SET revoked = TRUE WHERE policy_hash = ?")) {
      p.setString(1, policyHash.hex());
      if (p.executeUpdate() != 1) throw new CovenantException("policy " + policyHash.shortForm() + " is not known here");
    } catch (SQLException e) {
      throw failure("revoke policy " + policyHash.shortForm(), e);
    }
  }

  // ---- usage accounting ------------------------------------------------------------------------------------------

  /**
   * What a consumer has used under a policy: {@code uses} counts every consumer's jobs under the policy (maxUses is
   * the policy's total), {@code epsilonSpent} is this consumer's own privacy spending.
   */
  public synchronized io.covenant.policy.UsageHistory usage(Digest policyHash, io.covenant.core.id.OrgId consumer) {
    try (PreparedStatement p = db.prepareStatement("""
        SELECT COALESCE(SUM(uses), 0),
               COALESCE(SUM(CASE WHEN consumer = ? THEN epsilon ELSE 0 END), 0)
        FROM policy_usage WHERE policy_hash = ?""")) {
      p.setString(1, consumer.value());
      p.setString(2, policyHash.hex());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new io.covenant.policy.UsageHistory(rs.getLong(1), rs.getBigDecimal(2).stripTrailingZeros());
      }
    } catch (SQLException e) {
      throw failure("read the usage of policy " + policyHash.shortForm(), e);
    }
  }

  /**
   * Authorises a job in one transaction: debits every use and its epsilon and moves the job to AUTHORIZED. Either all
   * of it is durable or none of it is. Callers decide on usage they read while holding {@link #lockForAuthorisation()},
   * so concurrent submissions, in this process or another on the same database, cannot spend the same use twice.
   */
  public synchronized void authorize(JobId job, JobState from, List<UsageDebit> debits, Instant at) {
    if (!from.next().contains(JobState.AUTHORIZED)) throw new IllegalStateException("job " + job + " cannot be authorised from " + from);
    inTransaction("authorise job " + job, () -> {
      for (UsageDebit d : debits) {
        try (PreparedStatement lock = db.prepareStatement("SELECT uses FROM policy_usage WHERE policy_hash = ? AND consumer = ? FOR UPDATE")) {
          lock.setString(1, d.policyHash().hex());
          lock.setString(2, d.consumer().value());
          boolean exists;
          try (ResultSet rs = lock.executeQuery()) {
            exists = rs.next();
          }
          String sql = exists
              ? "UPDATE policy_usage SET uses = uses + 1, epsilon = epsilon + ? WHERE policy_hash = ? AND consumer = ?"
              : "INSERT INTO policy_usage (epsilon, policy_hash, consumer, uses) VALUES (?, ?, ?, 1)";
          try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setBigDecimal(1, d.epsilon());
            p.setString(2, d.policyHash().hex());
            p.setString(3, d.consumer().value());
            p.executeUpdate();
          }
        }
      }
      try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET state = ?, reasons = '[]', updated_at = ? WHERE job_id = ? AND state = ?")) {
        p.setString(1, JobState.AUTHORIZED.name());
        p.setTimestamp(2, Timestamp.from(at));
        p.setString(3, job.value());
        p.setString(4, from.name());
        if (p.executeUpdate() != 1) throw new IllegalStateException("job " + job + " is not in state " + from);
      }
    });
  }

  // ---- approvals -------------------------------------------------------------------------------------------------

  public synchronized void recordApproval(JobId job, DatasetId dataset, boolean approved, String note, Instant at) {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO approvals VALUES (?,?,?,?,?)")) {
      p.setString(1, job.value());
      p.setString(2, dataset.toString());
      p.setBoolean(3, approved);
      p.setString(4, note);
      p.setTimestamp(5, Timestamp.from(at));
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("record the approval of " + dataset + " for job " + job + " (an owner decides once per job)", e);
    }
  }

  /** The owners' decisions on a job so far: dataset → approved. */
  public synchronized java.util.Map<DatasetId, Boolean> approvals(JobId job) {
    try (PreparedStatement p = db.prepareStatement("SELECT dataset, approved FROM approvals WHERE job_id = ?")) {
      p.setString(1, job.value());
      java.util.Map<DatasetId, Boolean> out = new java.util.TreeMap<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) out.put(DatasetId.parse(rs.getString(1)), rs.getBoolean(2));
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the approvals of job " + job, e);
    }
  }

  // ---- jobs ------------------------------------------------------------------------------------------------------

  public synchronized void insertJob(JobRequest request, Instant at) {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO jobs VALUES (?,?,?,?,NULL,NULL,?,?)")) {
      p.setString(1, request.id().value());
      p.setString(2, request.toJson().encode());
      p.setString(3, JobState.SUBMITTED.name());
      p.setString(4, "[]");
      p.setTimestamp(5, Timestamp.from(at));
      p.setTimestamp(6, Timestamp.from(at));
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("record job " + request.id() + " (a job id can be submitted only once)", e);
    }
  }

  /** Moves a job from {@code from} to {@code to}; refuses a transition the state machine does not allow or a stale {@code from}. */
  public synchronized void transition(JobId job, JobState from, JobState to, List<String> reasons, Instant at) {
    if (!from.next().contains(to)) throw new IllegalStateException("job " + job + " cannot go from " + from + " to " + to);
    try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET state = ?, reasons = ?, updated_at = ? WHERE job_id = ? AND state = ?")) {
      p.setString(1, to.name());
      p.setString(2, Json.arr(reasons).encode());
      p.setTimestamp(3, Timestamp.from(at));
      p.setString(4, job.value());
      p.setString(5, from.name());
      if (p.executeUpdate() != 1) throw new IllegalStateException("job " + job + " is not in state " + from);
    } catch (SQLException e) {
      throw failure("update job " + job, e);
    }
  }

  public synchronized void commitResult(JobId job, Cid sealedResult, Digest resultHash, Instant at) {
    try (PreparedStatement p = db.prepareStatement(
        "UPDATE jobs SET state = ?, result_cid = ?, result_hash = ?, updated_at = ? WHERE job_id = ? AND state = ?")) {
      p.setString(1, JobState.COMMITTED.name());
      p.setString(2, sealedResult.toString());
      p.setString(3, resultHash.hex());
      p.setTimestamp(4, Timestamp.from(at));
      p.setString(5, job.value());
      p.setString(6, JobState.RUNNING.name());
      if (p.executeUpdate() != 1) throw new IllegalStateException("job " + job + " is not running");
    } catch (SQLException e) {
      throw failure("commit the result of job " + job, e);
    }
  }

  public synchronized Optional<JobRecord> job(JobId id) {
    return queryJobs("SELECT * FROM jobs WHERE job_id = ?", id.value()).stream().findFirst();
  }

  public synchronized List<JobRecord> jobs() {
    return queryJobs("SELECT * FROM jobs ORDER BY submitted_at");
  }

  private List<JobRecord> queryJobs(String sql, String... args) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) p.setString(i + 1, args[i]);
      List<JobRecord> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String cid = rs.getString("result_cid");
          String hash = rs.getString("result_hash");
          List<String> reasons = new ArrayList<>();
          for (Json j : ((Json.JArray) Json.parse(rs.getString("reasons"))).items()) reasons.add(((Json.JString) j).value());
          out.add(new JobRecord(
              JobRequest.fromJson(Json.parseObject(rs.getString("request_json"))), JobState.valueOf(rs.getString("state")), reasons,
              Optional.ofNullable(cid).map(Cid::parse), Optional.ofNullable(hash).map(Digest::parse),
              rs.getTimestamp("submitted_at").toInstant(), rs.getTimestamp("updated_at").toInstant()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read jobs", e);
    }
  }

  /** Statements that must take effect together. */
  @FunctionalInterface
  private interface Transaction {
    void run() throws SQLException;
  }

  /** Runs {@code work} as one transaction: committed if it returns, rolled back if it throws, on H2 and PostgreSQL alike. */
  private void inTransaction(String what, Transaction work) {
    try {
      db.setAutoCommit(false);
      try {
        work.run();
        db.commit();
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static CovenantException failure(String what, SQLException e) {
    return new CovenantException("coordinator database: could not " + what + ": " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw failure("close", e);
    } finally {
      closeQuietly(lockConnection);
    }
  }
}
