package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.text.TextTable;
import org.junit.jupiter.api.Test;

class TextTableAligns {
  @Test
  void numbersRightTextLeft() {
    String t = TextTable.withHeaders("chapter", "patients", "avg_cost").row("IX Circulatory", 1234, 5012.5).row("X Respiratory", 87, 310.0).render();
    assertEquals(
        """
        chapter         patients  avg_cost
        --------------  --------  --------
        IX Circulatory      1234   5012.50
        X Respiratory         87    310.00
        """,
        t);
  }

  @Test
  void longCellsAreCut() {
    String t = TextTable.withHeaders("x").maxCellWidth(5).row("abcdefgh").render();
    assertTrue(t.contains("abcd…"));
  }

  @Test
  void wrongRowWidthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TextTable.withHeaders("a", "b").row("only one"));
  }
}
