package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalJsonIsStable {

  @Test
  void membersAreSortedAndWhitespaceDropped() {
    Json a = Json.parse("{ \"b\": 1, \"a\": [true, null, \"x\"], \"c\": {\"z\": 0, \"y\": -5} }");
    assertEquals("{\"a\":[true,null,\"x\"],\"b\":1,\"c\":{\"y\":-5,\"z\":0}}", a.encode());
  }

  @Test
  void sortingUsesUtf16CodeUnitsAsRfc8785Requires() {
    // RFC 8785 section 3.2.3: "\u20ac" (euro) sorts before "\ud83d\ude00" (emoji, surrogate pair) and after "\r".
    Json o = Json.obj("\u20ac", 1, "\ud83d\ude00", 2, "\r", 3, "1", 4);
    assertEquals("{\"\\r\":3,\"1\":4,\"\u20ac\":1,\"\ud83d\ude00\":2}", o.encode());
  }

  @Test
  void stringsAreMinimallyEscaped() {
    assertEquals("\"a\\\"b\\\\c\\n\\u0001/\u00e9\"", Json.of("a\"b\\c\n\u0001/\u00e9").encode());
  }

  @Test
  void numbersHaveOneForm() {
    assertEquals("[1,0,-3,1.5,100]", Json.parse("[1.0, -0, -3, 1.50, 1E2]").encode());
  }

  @Test
  void equalDocumentsEncodeToEqualBytes() {
    Json x = Json.parse("{\"k\":[1,2],\"j\":\"v\"}");
    Json y = Json.parse("{\n  \"j\" : \"v\",\n  \"k\" : [ 1 , 2 ]\n}");
    assertArrayEquals(x.canonicalBytes(), y.canonicalBytes());
    assertEquals(x, y);
  }

  @Test
  void parseRoundTripsTheCanonicalForm() {
    Json.JObject o = Json.obj("list", List.of("a", 2L, false), "nested", Json.obj("x", "y"), "none", null);
    assertEquals(o, Json.parse(o.encode()));
  }

  @Test
  void malformedInputNamesLineAndColumn() {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> Json.parse("{\n  \"a\": tru\n}"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertThrows(MalformedInputException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
    assertThrows(MalformedInputException.class, () -> Json.parse("[1,]"));
    assertThrows(MalformedInputException.class, () -> Json.parse("01"));
    assertThrows(MalformedInputException.class, () -> Json.parse("{} x"));
  }

  @Test
  void missingFieldIsNamed() {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> Json.obj("a", 1).string("dataset"));
    assertTrue(e.getMessage().contains("dataset"));
  }
}
