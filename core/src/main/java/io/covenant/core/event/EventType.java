package io.covenant.core.event;

import io.covenant.core.error.MalformedInputException;

/** Every kind of fact the audit ledger records. The wire name is the enum name. */
public enum EventType {
  ORG_REGISTERED,
  DATASET_PUBLISHED,
  POLICY_PUBLISHED,
  POLICY_REVOKED,
  JOB_SUBMITTED,
  JOB_AUTHORIZED,
  JOB_DENIED,
  APPROVAL_GIVEN,
  ATTESTATION_VERIFIED,
  KEY_RELEASED,
  COMPUTATION_STARTED,
  RESULT_COMMITTED,
  JOB_FAILED,
  USAGE_SETTLED,
  KEY_RELEASE_REFUSED,
  ORG_REVOKED,
  INPUT_SHARED,
  CONSENT_RECORDED,
  LICENCE_PUBLISHED,
  FL_ROUND_COMPLETED,
  CIPHERTEXT_RECORDED;

  public static EventType parse(String s) {
    try {
      return valueOf(s);
    } catch (RuntimeException e) {
      throw new MalformedInputException("event type '" + s + "' is not known");
    }
  }
}
