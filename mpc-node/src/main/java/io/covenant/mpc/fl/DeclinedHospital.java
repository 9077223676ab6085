package io.covenant.mpc.fl;

import io.covenant.core.id.OrgId;

/** A hospital whose node refused to contribute to a round, and the reason it gave (e.g. its privacy budget). */
public record DeclinedHospital(OrgId hospital, String reason) {}
