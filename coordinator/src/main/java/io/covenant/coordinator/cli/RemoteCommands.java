package io.covenant.coordinator.cli;

import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.DatasetView;
import io.covenant.coordinator.client.JobOutcomeView;
import io.covenant.coordinator.client.JobView;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.client.PolicyView;
import io.covenant.coordinator.demo.AuditTrail;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.JobRequest;
import io.covenant.core.text.TextTable;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --server URL} side of the job, dataset and policy commands: the same output as the local commands, through the
 * HTTP API. Keys come from the local data directory; signing happens here.
 */
final class RemoteCommands {
  private RemoteCommands() {}

  /** The job file as a request, each dataset without a version resolved to the latest version the server lists. */
  static JobRequest request(CoordinatorClient client, JobFile job) {
    List<DatasetView> published = new java.util.ArrayList<>(); // read once, on the first dataset without a version
    return job.toRequest(id -> {
      if (published.isEmpty()) published.addAll(CoordinatorClient.all(client::datasets));
      return published.stream().map(DatasetView::dataset).filter(v -> v.dataset().equals(id))
          .max(java.util.Comparator.comparingInt(DatasetVersion::version))
          .orElseThrow(() -> new CovenantException("dataset " + id + " is not published at " + client.api()
              + "; list what is with './covenant dataset list --server URL'"));
    });
  }

  static int submit(ServerOption server, DataDirOption dataDir, Path jobFile) {
    JobFile job = JobFile.read(jobFile);
    var consumer = LocalKeys.of(dataDir.path(), job.consumer());
    CoordinatorClient client = server.client();
    JobRequest request = request(client, job);
    System.out.println("submitting as " + job.consumer() + " on " + request.datasets().size() + " datasets to " + client.api() + " ...");
    JobOutcomeView o = client.submit(request, consumer);
    print(o);
    if (o.state().equals("COMMITTED")) printResult(client, o.job(), consumer, java.util.Optional.empty());
    return o.state().equals("COMMITTED") || o.state().equals("AWAITING_APPROVAL") ? 0 : 1;
  }

  static void print(JobOutcomeView o) {
    System.out.println("job " + o.job() + ": " + o.state() + o.resultHash().map(h -> " (result hash " + h + ")").orElse(""));
    for (String r : o.reasons()) System.out.println("  - " + r);
  }

  static int listJobs(ServerOption server) {
    TextTable t = TextTable.withHeaders("job", "consumer", "engine", "purpose", "datasets", "state", "submitted (UTC)");
    for (JobView j : CoordinatorClient.all(server.client()::jobs)) {
      t.row(j.job(), j.consumer(), j.engine(), j.purpose(), j.datasets().size(), j.state(), TableTime.of(j.submittedAt()));
    }
    System.out.print(t.size() == 0 ? "no jobs yet\n" : t.render());
    return 0;
  }

  static int showJob(ServerOption server, String job) {
    CoordinatorClient client = server.client();
    JobId id = new JobId(job);
    JobView j = client.job(id);
    System.out.println("job " + id + ": " + j.state() + ", " + j.consumer() + " on " + j.datasets());
    j.reasons().forEach(x -> System.out.println("  - " + x));
    System.out.print(AuditTrail.render(client.trail(id)));
    return 0;
  }

  static int result(ServerOption server, DataDirOption dataDir, String job, String as, java.util.Optional<Path> out) {
    var consumer = LocalKeys.of(dataDir.path(), new OrgId(as));
    printResult(server.client(), new JobId(job), consumer, out);
    return 0;
  }

  /** A result table, or a trained model (the ledger's RESULT_COMMITTED says which). */
  private static void printResult(CoordinatorClient client, JobId job, io.covenant.core.crypto.OrgCredentials consumer, java.util.Optional<Path> out) {
    if (io.covenant.coordinator.job.CommittedResult.isModel(client.trail(job))) {
      ModelResult.print(client.model(job, consumer), out, consumer.signingKey().suite());
      return;
    }
    if (out.isPresent()) throw new CovenantException("--out saves a trained model, but job " + job + " committed a result table; drop --out");
    System.out.print(client.result(job, consumer).render());
  }

  /** An owner's decision on each of its datasets in the job, signed here and sent; the last outcome is printed. */
  static int decide(ServerOption server, DataDirOption dataDir, String job, String as, boolean approve, String note) {
    CoordinatorClient client = server.client();
    JobId id = new JobId(job);
    OrgId owner = new OrgId(as);
    List<DatasetId> mine = client.job(id).datasets().stream().map(DatasetVersion::parse).map(DatasetVersion::dataset)
        .filter(ds -> ds.owner().equals(owner)).distinct().toList();
    if (mine.isEmpty()) throw new CovenantException(owner + " owns no dataset of job " + id + "; only their owners decide");
    var credentials = LocalKeys.of(dataDir.path(), owner);
    JobOutcomeView o = null;
    for (DatasetId ds : mine) o = client.decide(id, ds, approve, note, credentials);
    print(o);
    return o.state().equals("FAILED") ? 1 : 0;
  }

  static int listDatasets(ServerOption server) {
    TextTable t = TextTable.withHeaders("dataset", "owner", "rows", "shards", "published (UTC)", "manifest CID");
    for (DatasetView d : CoordinatorClient.all(server.client()::datasets)) {
      t.row(d.dataset(), d.dataset().owner(), d.rows(), d.shards(), TableTime.of(d.publishedAt()), d.manifest());
    }
    System.out.print(t.size() == 0 ? "no datasets published yet\n" : t.render());
    return 0;
  }

  static int listPolicies(ServerOption server) {
    TextTable t = PolicyCommand.listTable();
    for (PolicyView p : CoordinatorClient.all(server.client()::policies)) {
      PolicyCommand.listRow(t, p.policy(), p.dataset(), p.status(), p.publishedAt(), p.hash());
    }
    System.out.print(t.size() == 0 ? "no policies published yet\n" : t.render());
    return 0;
  }
}
