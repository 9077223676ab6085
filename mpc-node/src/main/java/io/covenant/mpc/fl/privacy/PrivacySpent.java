package io.covenant.mpc.fl.privacy;

/** An (ε, δ)-DP guarantee, and the Rényi order whose bound gave it (infinite ε means no guarantee). */
public record PrivacySpent(double epsilon, double delta, int order) {}
