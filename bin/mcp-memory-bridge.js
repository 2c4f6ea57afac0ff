#!/usr/bin/env node
// CommonJS (bin/package.json), so the first answer does not wait for Node's ES module loader.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`mcp-memory-bridge needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a current Node.js LTS from https://nodejs.org.\n`);
  process.exit(1);
}
// Node 22.1+: cache compiled code between starts (a no-op where unsupported).
require("node:module").enableCompileCache?.();
// serve-start answers `initialize` before the rest of the CLI (dist/cli.js, ES modules) loads, then runs it.
require("../dist/serve-start.cjs")
  .start()
  .catch((error) => {
    // main() reports every failure it knows itself; this is only for one it did not expect.
    process.stderr.write(`mcp-memory-bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
