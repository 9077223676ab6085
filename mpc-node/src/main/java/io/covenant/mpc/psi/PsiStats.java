package io.covenant.mpc.psi;

/**
 * What a run cost and what both parties learnt about each other's sets by running it: the numbers of distinct ids.
 *
 * @param ownRows rows of this party's id column
 * @param ownDistinct distinct ids among them (what the peer learns as this party's set size)
 * @param peerDistinct the peer's distinct ids (what this party learns as the peer's set size)
 * @param bytesSent bytes of frames this party sent (payload only; transport framing excluded)
 * @param bytesReceived bytes of frames it received
 */
public record PsiStats(int ownRows, int ownDistinct, int peerDistinct, long bytesSent, long bytesReceived) {}
