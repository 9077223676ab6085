/**
 * The malicious-secure mode of the multi-party engine: SPDZ (Damgård, Pastro, Smart, Zakarias, "Multiparty
 * Computation from Somewhat Homomorphic Encryption", CRYPTO 2012) with MASCOT preprocessing (Keller, Orsini, Scholl,
 * "MASCOT: Faster Malicious Arithmetic Secure Computation with Oblivious Transfer", CCS 2016), as implemented by
 * FRESCO ({@code dk.alexandra.fresco:spdz}). Covenant supplies the network (its own mutual-TLS peer links between the
 * organisations' nodes, {@link io.covenant.mpc.spdz.LinkNetworks}), the base oblivious transfers' randomness, and the
 * statistics program ({@link io.covenant.mpc.spdz.SpdzAggregateProgram}); no cryptography is written here.
 */
package io.covenant.mpc.spdz;
