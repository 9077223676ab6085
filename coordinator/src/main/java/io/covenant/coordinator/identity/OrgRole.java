package io.covenant.coordinator.identity;

import io.covenant.core.error.MalformedInputException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an organisation says it does, recorded in its ORG_REGISTERED. Roles describe; they grant nothing: what an
 * organisation may do with a dataset is decided by the dataset's policy alone.
 */
public enum OrgRole {
  /** Publishes datasets and the policies that govern them. */
  OWNER("owner", "data-owner"),
  /** Submits jobs and opens the results sealed to it. */
  CONSUMER("consumer", "data-consumer"),
  /** Reads and verifies the ledger. */
  AUDITOR("auditor", "auditor"),
  /** Runs a TEE worker: computes in an attested enclave and asks owners' nodes for keys, which decide for themselves. */
  WORKER("worker", "tee-worker");

  private final String cliName;
  private final String wireName;

  OrgRole(String cliName, String wireName) {
    this.cliName = cliName;
    this.wireName = wireName;
  }

  /** The word a person types: owner, consumer, auditor or worker. */
  public String cliName() {
    return cliName;
  }

  /** The word ORG_REGISTERED records: data-owner, data-consumer or auditor. */
  public String wireName() {
    return wireName;
  }

  /** Reads owner, consumer, auditor or worker (or the recorded form, e.g. data-owner). */
  public static OrgRole parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (OrgRole r : values()) {
      if (r.cliName.equals(t) || r.wireName.equals(t)) return r;
    }
    throw new MalformedInputException("role '" + text + "' is not known; use " + names());
  }

  /** The recorded form of several roles: their wire names joined by ',' in a fixed order, e.g. data-owner,data-consumer. */
  public static String wireForm(Collection<OrgRole> roles) {
    if (roles == null || roles.isEmpty()) throw new MalformedInputException("an organisation needs at least one role: " + names());
    return EnumSet.copyOf(roles).stream().map(OrgRole::wireName).collect(Collectors.joining(","));
  }

  /** owner, consumer, auditor or worker, for messages. */
  public static String names() {
    List<String> n = Arrays.stream(values()).map(OrgRole::cliName).toList();
    return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.getLast();
  }
}
