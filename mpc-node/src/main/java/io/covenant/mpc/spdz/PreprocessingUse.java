package io.covenant.mpc.spdz;

import dk.alexandra.fresco.framework.builder.numeric.field.FieldDefinition;
import dk.alexandra.fresco.framework.builder.numeric.field.FieldElement;
import dk.alexandra.fresco.suite.spdz.datatypes.SpdzInputMask;
import dk.alexandra.fresco.suite.spdz.datatypes.SpdzSInt;
import dk.alexandra.fresco.suite.spdz.datatypes.SpdzTriple;
import dk.alexandra.fresco.suite.spdz.storage.SpdzDataSupplier;

/**
 * How much of MASCOT's preprocessing one party's run consumed (triples, random bits, input masks, exponentiation
 * pipes, random elements): what a run's record and the benchmark report. Counts only; the values pass through.
 */
final class PreprocessingUse implements SpdzDataSupplier {
  private final SpdzDataSupplier supplier;
  long triples, bits, masks, pipes, randoms;

  PreprocessingUse(SpdzDataSupplier supplier) {
    this.supplier = supplier;
  }

  @Override
  public SpdzTriple getNextTriple() {
    triples++;
    return supplier.getNextTriple();
  }

  @Override
  public SpdzSInt[] getNextExpPipe() {
    pipes++;
    return supplier.getNextExpPipe();
  }

  @Override
  public SpdzInputMask getNextInputMask(int towardPlayerId) {
    masks++;
    return supplier.getNextInputMask(towardPlayerId);
  }

  @Override
  public SpdzSInt getNextBit() {
    bits++;
    return supplier.getNextBit();
  }

  @Override
  public FieldDefinition getFieldDefinition() {
    return supplier.getFieldDefinition();
  }

  @Override
  public FieldElement getSecretSharedKey() {
    return supplier.getSecretSharedKey();
  }

  @Override
  public SpdzSInt getNextRandomFieldElement() {
    randoms++;
    return supplier.getNextRandomFieldElement();
  }

  @Override
  public String toString() {
    return triples + " triples, " + bits + " random bits, " + masks + " input masks, " + pipes + " exponentiation pipes, " + randoms + " random elements";
  }
}
