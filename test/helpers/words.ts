/** The command name the words layer is given in tests: how `npx mcp-memory-bridge` runs it. */
export const WORDS = { command: "npx mcp-memory-bridge" } as const;
