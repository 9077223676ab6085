package io.covenant.mpc.fl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;

/** AUC is the share of (positive, negative) pairs ranked correctly, ties counting one half. */
class AucIsTheMannWhitneyStatistic {

  @Test
  void countsPairsWithTiesAsHalf() {
    // positives score 0.9, 0.5, 0.3; negatives 0.5, 0.2. Pairs: (0.9>0.5) (0.9>0.2) (0.5=0.5: ½) (0.5>0.2) (0.3<0.5) (0.3>0.2)
    double[] scores = {0.9, 0.5, 0.3, 0.5, 0.2};
    double[] labels = {1, 1, 1, 0, 0};
    assertEquals(4.5 / 6, Auc.of(scores, labels), 1e-12);
  }

  @Test
  void perfectAndReversedRankings() {
    assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {0, 0, 1, 1}), 0);
    assertEquals(0.0, Auc.of(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1}), 0);
  }

  @Test
  void oneOutcomeOnlyIsRefused() {
    assertThrows(MalformedInputException.class, () -> Auc.of(new double[] {0.1, 0.2}, new double[] {1, 1}));
  }
}
