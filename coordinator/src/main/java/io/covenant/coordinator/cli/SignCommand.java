package io.covenant.coordinator.cli;

import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.JobRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Signs an event with an organisation's own key from this machine's keystore and prints the JSON body to send to the HTTP API, so that curl and other HTTP clients can submit jobs and approvals.",
      "The key never leaves this machine. See docs/api.md for an example."
    },
    subcommands = {SignCommand.Job.class, SignCommand.Approval.class})
final class SignCommand extends CommandGroup {

  @Command(name = "job", mixinStandardHelpOptions = true,
      description = {"Signs a job file as its consumer and prints the body of POST /api/jobs (the request and its signed JOB_SUBMITTED).",
          "Each body has a fresh job id and can be submitted once. " + JobFile.FORM_TEXT})
  static final class Job implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Parameters(paramLabel = "FILE", description = "The job file.")
    Path jobFile;

    @Override
    public Integer call() {
      JobFile job = JobFile.read(jobFile);
      var consumer = LocalKeys.of(dataDir.path(), job.consumer());
      JobRequest request;
      if (server.given()) {
        request = RemoteCommands.request(server.client(), job);
      } else {
        request = job.toRequest(id -> {
          throw new CovenantException("dataset " + id + " has no version; write " + id + "@VERSION in the job file, or pass"
              + " --server URL to sign the latest version the coordinator lists");
        });
      }
      System.out.println(SignedSubmission.sign(request, consumer, Instant.now()).toJson().encode());
      System.err.println("covenant: signed job " + request.id() + " as " + job.consumer() + "; POST this body to /api/jobs");
      return 0;
    }
  }

  @Command(name = "approval", mixinStandardHelpOptions = true,
      description = "As a dataset owner, signs a decision on a job that awaits approval and prints the body of POST /api/jobs/JOB/approvals.")
  static final class Approval implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "JOB", description = "The job that awaits approval.")
    String job;

    @Option(names = "--as", required = true, paramLabel = "ORG", description = "The dataset owner deciding.")
    String as;

    @Option(names = "--dataset", required = true, paramLabel = "OWNER/NAME", description = "The owner's dataset the decision is for.")
    String dataset;

    @Option(names = "--reject", description = "Reject the job instead of approving it.")
    boolean reject;

    @Option(names = "--note", defaultValue = "", description = "Why (recorded on the ledger).")
    String note;

    @Override
    public Integer call() {
      OrgId owner = new OrgId(as);
      DatasetId ds = DatasetId.parse(dataset);
      if (!ds.owner().equals(owner)) throw new CovenantException(owner + " does not own " + ds + "; only " + ds.owner() + " decides on it");
      var credentials = LocalKeys.of(dataDir.path(), owner);
      SignedEvent e = SignedEvent.sign(new AuditEvent.ApprovalGiven(new JobId(job), ds, !reject, note), owner, credentials.signingKey(), Instant.now());
      System.out.println(e.toJson().encode());
      return 0;
    }
  }
}
