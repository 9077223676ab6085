package io.covenant.coordinator.cli;

import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.demo.AuditTrail;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = "Submit jobs, follow them, approve or reject them as an owner, open results as their consumer.",
    subcommands = {JobCommand.Submit.class, JobCommand.ListJobs.class, JobCommand.Show.class, JobCommand.Approve.class,
        JobCommand.Reject.class, JobCommand.Result.class})
final class JobCommand extends CommandGroup {

  static void printOutcome(JobOutcome o) {
    System.out.println("job " + o.job() + ": " + o.state() + o.resultHash().map(h -> " (result hash " + h.shortForm() + ")").orElse(""));
    for (String r : o.reasons()) System.out.println("  - " + r);
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Signs a job as its consumer and submits it; it runs as far as it can (result, denial, or waiting for approvals).",
          JobFile.FORM})
  static final class Submit implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--job", required = true, paramLabel = "FILE", description = "The job file.")
    Path jobFile;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.submit(server, dataDir, jobFile);
      JobFile job = JobFile.read(jobFile);
      try (LocalDeployment d = dataDir.open()) {
        d.register(job.consumer(), job.consumer().value(), "data-consumer");
        var request = job.toRequest(d);
        System.out.println("submitting as " + job.consumer() + " on " + request.datasets().size() + " datasets ...");
        JobOutcome o = d.consumer(job.consumer()).submit(request.datasets(), request.engine(), request.purpose(), request.computation());
        printOutcome(o);
        if (o.state() == JobState.COMMITTED) {
          System.out.print(d.consumer(job.consumer()).result(o.job()).render());
        }
        return o.state() == JobState.COMMITTED || o.state() == JobState.AWAITING_APPROVAL ? 0 : 1;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists jobs with their state.")
  static final class ListJobs implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.listJobs(server);
      try (LocalDeployment d = dataDir.open()) {
        TextTable t = TextTable.withHeaders("job", "consumer", "engine", "purpose", "datasets", "state", "submitted (UTC)");
        for (JobRecord r : d.store().jobs()) {
          t.row(r.request().id(), r.request().consumer(), r.request().engine().wireName(), r.request().purpose(),
              r.request().datasets().size(), r.state(), TableTime.of(r.submittedAt()));
        }
        System.out.print(t.size() == 0 ? "no jobs yet\n" : t.render());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a job's state, reasons and its audit trail.")
  static final class Show implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Parameters(paramLabel = "JOB") String job;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.showJob(server, job);
      try (LocalDeployment d = dataDir.open()) {
        JobId id = new JobId(job);
        JobRecord r = d.store().job(id).orElseThrow(() -> new CovenantException("job " + job + " is not known here; see './covenant job list'"));
        System.out.println("job " + id + ": " + r.state() + ", " + r.request().consumer() + " on " + r.request().datasets());
        r.reasons().forEach(x -> System.out.println("  - " + x));
        System.out.print(AuditTrail.render(d.ledger().entriesForJob(id)));
      }
      return 0;
    }
  }

  abstract static class Decide implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "JOB") String job;

    @Option(names = "--as", required = true, paramLabel = "ORG", description = "The dataset owner deciding.")
    String as;

    @Option(names = "--note", defaultValue = "", description = "Why (recorded on the ledger).")
    String note;

    @Mixin ServerOption server;

    abstract boolean approve();

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.decide(server, dataDir, job, as, approve(), note);
      try (LocalDeployment d = dataDir.open()) {
        JobId id = new JobId(job);
        OrgId owner = new OrgId(as);
        JobRecord r = d.store().job(id).orElseThrow(() -> new CovenantException("job " + job + " is not known here; see './covenant job list'"));
        List<DatasetId> mine = r.request().datasets().stream().map(v -> v.dataset()).filter(ds -> ds.owner().equals(owner)).toList();
        if (mine.isEmpty()) throw new CovenantException(owner + " owns no dataset of job " + id + "; only their owners decide");
        JobOutcome o = null;
        for (DatasetId ds : mine) o = d.owner(owner).decide(id, ds, approve(), note);
        printOutcome(o);
        return o.state() == JobState.FAILED ? 1 : 0;
      }
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "As a dataset owner, approves a job that awaits approval (APPROVAL_GIVEN); the last approval runs it.")
  static final class Approve extends Decide {
    boolean approve() {
      return true;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "As a dataset owner, rejects a job that awaits approval; it is denied (JOB_DENIED).")
  static final class Reject extends Decide {
    boolean approve() {
      return false;
    }
  }

  @Command(name = "result", mixinStandardHelpOptions = true, description = "As the job's consumer, fetches the sealed result, checks it against the ledger and opens it.")
  static final class Result implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "JOB") String job;

    @Option(names = "--as", required = true, paramLabel = "ORG", description = "The consumer (the result is sealed to its key).")
    String as;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.result(server, dataDir, job, as);
      try (LocalDeployment d = dataDir.open()) {
        System.out.print(d.consumer(new OrgId(as)).result(new JobId(job)).render());
      }
      return 0;
    }
  }
}
