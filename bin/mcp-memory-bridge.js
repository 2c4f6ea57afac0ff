#!/usr/bin/env node
import module from "node:module";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`mcp-memory-bridge needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a current Node.js LTS from https://nodejs.org.\n`);
  process.exit(1);
}
// Node 22.1+: cache compiled code between starts (a no-op where unsupported).
module.enableCompileCache?.();
const { main } = await import("../dist/cli.js");
await main();
