package io.covenant.coordinator.catalogue;

/**
 * A policy as the catalogue lists it: the record and whether it is the one in force for its dataset. A revoked policy
 * is never in force; a policy an owner published later for the same dataset supersedes it.
 */
public record PublishedPolicy(PolicyRecord policy, Status status) {
  public enum Status {
    IN_FORCE("in-force"), SUPERSEDED("superseded"), REVOKED("revoked");

    private final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
