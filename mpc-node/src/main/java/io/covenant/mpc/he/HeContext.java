package io.covenant.mpc.he;

/**
 * Parameters loaded into an evaluator: the handle for SEAL's context, the parameters it was checked against, and
 * their SEAL serialisation (what a peer loads to work under the same parameters).
 *
 * @param generation the evaluator generation (sidecar process) the context lives in; a restart makes it stale
 */
public record HeContext(int id, long generation, HeParameters parameters, int slots, SealBytes parameterBytes) {}
