package io.covenant.coordinator.catalogue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import java.math.BigDecimal;

/** One use of a dataset under a policy by a consumer, and the privacy budget (epsilon) it spends. */
public record UsageDebit(Digest policyHash, OrgId consumer, BigDecimal epsilon) {}
