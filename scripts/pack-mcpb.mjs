// Builds the Claude Desktop extension: mcp-memory-bridge-<version>.mcpb (an MCP Bundle), from the
// built dist/ (run `npm run build` first; `npm run pack:mcpb` does). The manifest is generated from
// package.json so the two cannot drift. Claude Desktop keeps the `sensitive` token field in the OS
// keychain and passes it as MEMORY_BRIDGE_TOKEN; an optional field left blank arrives as the literal
// text `${user_config.x}`, which the bridge ignores (config/env.ts), so a blank token never
// outranks a token stored with `login`.
//
//   node scripts/pack-mcpb.mjs [--out DIR]      (default: the repository root)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outIndex = process.argv.indexOf("--out");
const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : root);
const mcpb = join(root, "node_modules", ".bin", process.platform === "win32" ? "mcpb.cmd" : "mcpb");

if (!existsSync(join(root, "dist", "cli.js"))) {
  process.stderr.write("dist/ is missing: run `npm run build` first (or `npm run pack:mcpb`, which does).\n");
  process.exit(1);
}

const optional = (title, description) => ({ type: "string", title, description, required: false, default: "" });
const manifest = {
  manifest_version: "0.3",
  name: pkg.name,
  display_name: "Memory (mcp-memory-bridge)",
  version: pkg.version,
  description: pkg.description,
  long_description:
    "Connects Claude to your own memory server (mcp-memory-service's REST API). Memories are scoped per project, the token is kept in your OS keychain, and every call has a deadline and safe retries.",
  author: { name: "The mcp-memory-bridge contributors", url: pkg.homepage },
  repository: { type: "git", url: pkg.repository.url.replace(/^git\+/, "") },
  homepage: pkg.homepage,
  support: pkg.bugs.url,
  license: pkg.license,
  keywords: pkg.keywords,
  server: {
    type: "node",
    entry_point: "server/bin/mcp-memory-bridge.js",
    mcp_config: {
      command: "node",
      args: ["${__dirname}/server/bin/mcp-memory-bridge.js"],
      env: {
        MEMORY_BRIDGE_ENDPOINT: "${user_config.endpoint}",
        MEMORY_BRIDGE_BACKEND: "${user_config.backend}",
        MEMORY_BRIDGE_PROJECT_MODE: "${user_config.project_mode}",
        MEMORY_BRIDGE_TOKEN: "${user_config.token}",
      },
    },
  },
  tools: [
    { name: "store_memory", description: "Save a memory in the current project" },
    { name: "search_memories", description: "Semantic search in the project's (or all) memories" },
    { name: "list_memories", description: "The project's memories, newest first" },
    { name: "get_memory", description: "One memory in full" },
    { name: "update_memory", description: "Change a memory's tags, type or metadata" },
    { name: "delete_memory", description: "Delete one memory" },
    { name: "memory_status", description: "Endpoint, project, token source and reachability" },
  ],
  compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: pkg.engines.node } },
  user_config: {
    endpoint: {
      type: "string",
      title: "Memory server URL",
      description: "Your memory server's API URL, e.g. https://memory.example.com/api or http://127.0.0.1:8000/api (mcp-memory-service: include /api).",
      required: true,
    },
    token: {
      ...optional("API token", "The server's API key. Kept in your OS keychain by Claude Desktop. Leave blank to use the token stored with `mcp-memory-bridge login`, or for a server without auth."),
      sensitive: true,
    },
    backend: optional("Server type", "auto (default) or mcp-memory-service."),
    project_mode: optional("Project scoping", "auto (default: per project), manual or global (one shared space)."),
  },
};

const stage = mkdtempSync(join(tmpdir(), "mcpb-stage-"));
try {
  mkdirSync(join(stage, "server"));
  cpSync(join(root, "bin"), join(stage, "server", "bin"), { recursive: true });
  cpSync(join(root, "dist"), join(stage, "server", "dist"), { recursive: true, filter: (source) => !source.endsWith(".map") });
  cpSync(join(root, "LICENSE"), join(stage, "LICENSE"));
  writeFileSync(join(stage, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const run = (args) => {
    const result = spawnSync(mcpb, args, { stdio: "inherit", shell: process.platform === "win32" });
    if (result.status !== 0) process.exit(result.status ?? 1);
  };
  run(["validate", join(stage, "manifest.json")]);
  mkdirSync(outDir, { recursive: true });
  const output = join(outDir, `${pkg.name}-${pkg.version}.mcpb`);
  run(["pack", stage, output]);
  process.stdout.write(`${output}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
