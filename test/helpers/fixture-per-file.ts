import { afterAll, beforeAll } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";

/** One mcp-memory-service fixture for the test file, accepting `token`; read it inside tests. */
export function memoryServiceForFile(token: string): () => MemoryServiceFixture {
  let fixture: MemoryServiceFixture | undefined;
  beforeAll(async () => {
    fixture = await createMemoryServiceFixture({ token });
  });
  afterAll(async () => {
    await fixture?.close();
  });
  return () => fixture!;
}
