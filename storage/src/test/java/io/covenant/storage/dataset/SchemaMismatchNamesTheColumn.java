package io.covenant.storage.dataset;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.storage.MemoryBlockstore;
import io.covenant.storage.SampleClaims;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class SchemaMismatchNamesTheColumn {
  @Test
  void aBatchWhoseColumnHasAnotherTypeIsRefusedNamingIt() {
    List<Column> columns = new ArrayList<>(SampleClaims.SCHEMA.columns());
    Column age = columns.get(1);
    columns.set(1, new Column(age.name(), ColumnType.STRING, age.sensitivity()));
    DatasetSchema declared = new DatasetSchema(columns);
    MemoryBlockstore store = MemoryBlockstore.healthy("memory");
    MalformedInputException e;
    try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, 100, 50, 0)) {
      e = assertThrows(MalformedInputException.class, () -> new DatasetPublisher(store)
          .publish(DatasetVersion.parse("hospital-a/claims@1"), declared, batches, DataKey.generate(), SigningKey.generate()));
    }
    assertTrue(e.getMessage().contains("column 'age'") && e.getMessage().contains("batch 1"), e.getMessage());
    assertTrue(store.stored(io.covenant.core.cid.Cid.DAG_JSON) == 0);
  }
}
