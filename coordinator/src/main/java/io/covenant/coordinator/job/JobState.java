package io.covenant.coordinator.job;

import java.util.EnumSet;
import java.util.Set;

/** Where a job is. Transitions are checked: a job cannot run unless it was authorised. */
public enum JobState {
  SUBMITTED,
  AWAITING_APPROVAL,
  AUTHORIZED,
  DENIED,
  RUNNING,
  COMMITTED,
  FAILED;

  public Set<JobState> next() {
    return switch (this) {
      case SUBMITTED -> EnumSet.of(AWAITING_APPROVAL, AUTHORIZED, DENIED, FAILED);
      case AWAITING_APPROVAL -> EnumSet.of(AUTHORIZED, DENIED, FAILED);
      case AUTHORIZED -> EnumSet.of(RUNNING, FAILED);
      case RUNNING -> EnumSet.of(COMMITTED, FAILED);
      case DENIED, COMMITTED, FAILED -> EnumSet.noneOf(JobState.class);
    };
  }

  public boolean terminal() {
    return next().isEmpty();
  }
}
