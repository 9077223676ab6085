package io.covenant.mpc.psi;

final class KkrtPsi implements MatchingProtocol {
  @Override
  public int[] runAsReceiver(PsiRun run) {
    throw new UnsupportedOperationException("KKRT16 is not built yet");
  }

  @Override
  public int[] runAsSender(PsiRun run) {
    throw new UnsupportedOperationException("KKRT16 is not built yet");
  }
}
