package io.covenant.storage.dataset;

import io.covenant.core.cid.Cid;

/** What publishing returns: the CID of the signed manifest block (what the ledger records) and the manifest. */
public record PublishedDataset(Cid manifestCid, SignedManifest manifest) {}
