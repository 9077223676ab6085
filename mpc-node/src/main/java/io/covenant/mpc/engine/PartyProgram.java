package io.covenant.mpc.engine;

/**
 * What one party runs. The three parties run the same program (single program, multiple data): each makes the same
 * sequence of protocol calls on its own {@link PartySession}, and only the owner of an input supplies its values.
 */
@FunctionalInterface
public interface PartyProgram<R> {
  R run(PartySession session) throws Exception;
}
