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
import io.covenant.core.text.Plural;
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
    description = "Submit jobs, follow them, approve or reject them as an owner, and open results as their consumer.",
    subcommands = {JobCommand.Submit.class, JobCommand.ListJobs.class, JobCommand.Show.class, JobCommand.Approve.class,
        JobCommand.Reject.class, JobCommand.Result.class})
final class JobCommand extends CommandGroup {

  static void printOutcome(JobOutcome o) {
    System.out.println("job " + o.job() + ": " + o.state() + o.resultHash().map(h -> " (result hash " + h.shortForm() + ")").orElse(""));
    for (String r : o.reasons()) System.out.println("  - " + r);
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Signs a job as its consumer and submits it. It runs as far as it can: to a result (printed, with what "
          + "was left out or noised), a denial naming the rule, or waiting for owners' approvals.")
  static final class Submit implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Mixin JobFileArgument jobFile;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.submit(server, dataDir, jobFile.path());
      JobFile job = JobFile.read(jobFile.path());
      try (LocalDeployment d = dataDir.open()) {
        var consumer = d.consumer(job.consumer());
        var request = job.toRequest(d);
        System.out.println("submitting as " + job.consumer() + " on " + Plural.of(request.datasets().size(), "dataset") + " ...");
        JobOutcome o = consumer.submit(request.datasets(), request.engine(), request.purpose(), request.computation());
        printOutcome(o);
        if (o.state() == JobState.COMMITTED && consumer.resultIsModel(o.job())) {
          ModelResult.print(consumer.model(o.job()), java.util.Optional.empty(), d.suite());
        } else if (o.state() == JobState.COMMITTED) {
          System.out.print(consumer.result(o.job()).render());
          ResultExplanation.lines(d, o.job()).forEach(System.out::println);
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
        System.out.print(t.size() == 0 ? "no jobs yet; submit one with './covenant job submit FILE'\n" : t.render());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a job's state, reasons and its audit trail, and what its result left out or noised.")
  static final class Show implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Parameters(paramLabel = "JOB", description = "The job id, e.g. job-0123456789abcdef (see './covenant job list').") String job;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.showJob(server, job);
      try (LocalDeployment d = dataDir.open()) {
        JobId id = new JobId(job);
        JobRecord r = d.store().job(id).orElseThrow(() -> new CovenantException("job " + job + " is not known here; see './covenant job list'"));
        System.out.println("job " + id + ": " + r.state() + ", " + r.request().consumer() + " on " + r.request().datasets());
        r.reasons().forEach(x -> System.out.println("  - " + x));
        System.out.print(AuditTrail.render(d.ledger().entriesForJob(id)));
        ResultExplanation.lines(d, id).forEach(System.out::println);
      }
      return 0;
    }
  }

  abstract static class Decide implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "JOB", description = "The job id, e.g. job-0123456789abcdef (see './covenant job list').") String job;

    @Option(names = "--as", required = true, paramLabel = "ORG", description = "The dataset owner deciding.")
    String as;

    @Option(names = "--note", defaultValue = "", paramLabel = "TEXT", description = "Why (recorded on the ledger).")
    String note;

    @Mixin ServerOption server;

    abstract boolean approve();

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.decide(server, dataDir, job, as, approve(), note);
      try (LocalDeployment d = dataDir.open()) {
        JobId id = new JobId(job);
        OrgId owner = new OrgId(as);
        d.keystore(owner);
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

  @Command(name = "result", mixinStandardHelpOptions = true,
      description = "As the job's consumer, fetches the sealed result, checks its hash against the ledger, opens it and says "
          + "what the enclave left out or noised. For a training job it shows the model (checked against the model hash on the "
          + "ledger) and, with --out, saves it.")
  static final class Result implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "JOB", description = "The job id, e.g. job-0123456789abcdef, as 'job submit' printed it (see './covenant job list').")
    String job;

    @Option(names = "--as", required = true, paramLabel = "ORG", description = "The consumer (the result is sealed to its key).")
    String as;

    @Option(names = "--out", paramLabel = "FILE",
        description = "For a training job: a new file to save the model to, in XGBoost's UBJSON model format.")
    Path out;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.result(server, dataDir, job, as, java.util.Optional.ofNullable(out));
      try (LocalDeployment d = dataDir.open()) {
        var consumer = d.consumer(new OrgId(as));
        JobId id = new JobId(job);
        JobRecord r = d.store().job(id).orElseThrow(() -> new CovenantException("job " + job + " is not known here; see './covenant job list'"));
        if (r.state() != JobState.COMMITTED) {
          throw new CovenantException("job " + id + " is " + r.state() + " and has no result" + (r.reasons().isEmpty() ? "" : ": " + String.join("; ", r.reasons()))
              + "; see './covenant job show " + id + "'");
        }
        if (consumer.resultIsModel(id)) {
          ModelResult.print(consumer.model(id), java.util.Optional.ofNullable(out), d.suite());
          return 0;
        }
        if (out != null) throw new CovenantException("--out saves a trained model, but job " + id + " committed a result table; drop --out");
        System.out.print(consumer.result(id).render());
        ResultExplanation.lines(d, id).forEach(System.out::println);
      }
      return 0;
    }
  }
}
