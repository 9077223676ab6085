package io.covenant.mpc.transport;

/**
 * One party's links to its two neighbours in the ring. A message is a whole vector of ring elements (one batch per
 * protocol round, never one message per element); messages in each direction arrive in the order they were sent.
 *
 * <p>{@code send} takes a snapshot of the array and does not wait for the peer, so every party can send before it
 * receives without deadlocking the ring. {@code receive} waits at most the channel's peer timeout and then throws
 * {@link PeerUnavailableException} naming the silent party.
 */
public interface PartyChannel extends AutoCloseable {

  Party self();

  Committee committee();

  void sendToNext(long[] words);

  void sendToPrevious(long[] words);

  long[] receiveFromNext();

  long[] receiveFromPrevious();

  /** Releases the links; a neighbour waiting on this party learns that it left. Idempotent. */
  @Override
  void close();
}
