package io.covenant.mpc.fl.data;

import io.covenant.core.error.MalformedInputException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve, computed exactly as the Mann–Whitney U statistic (Hanley and McNeil, Radiology 1982): the
 * probability that a random positive scores above a random negative, with tied scores counting one half. Tied scores
 * get their average rank, so the result does not depend on the order of tied rows.
 */
public final class Auc {
  private Auc() {}

  public static double of(double[] scores, double[] labels) {
    if (scores.length != labels.length) {
      throw new MalformedInputException(scores.length + " scores for " + labels.length + " labels: give one score per labelled row");
    }
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double positiveRankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
      double averageRank = (i + j) / 2.0 + 1.0; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1.0) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new MalformedInputException("the AUC needs both outcomes among the labels; got " + positives + " positives and " + negatives + " negatives");
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }
}
