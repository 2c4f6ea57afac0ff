/**
 * The package as a user gets it: `npm pack` in a fresh copy of the sources (no dist/: prepack must
 * build it), then the tarball installed exactly as `npx` installs a package (npm exec into a cold
 * cache's _npx folder, optional keychain modules fetched from the registry), then the installed bin:
 * --version, every command's --help, a full MCP session over stdio against the fixture, and the
 * client entry install writes from there. Prints the numbers: tarball size, packages installed,
 * bytes on disk, install time, spawn → initialize.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";

const REPO = resolve(".");
const TOKEN = "tok_packed_Qm52distinctive_value";
const INSTALL_TIMEOUT_MS = 240_000;

/** npm and npx beside the node running the tests, with none of the outer `npm test`'s npm_* settings. */
const nodeDir = dirname(process.execPath);
const npmBin = (name: string) => (existsSync(join(nodeDir, name)) ? join(nodeDir, name) : name);
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== "INIT_CWD") env[key] = value;
  return { ...env, PATH: `${nodeDir}:${process.env.PATH ?? ""}`, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (error) => (stderr += error.message));
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function bytesOnDisk(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) total += lstatSync(path).size;
    else if (entry.isDirectory()) total += bytesOnDisk(path);
    else total += statSync(path).size;
  }
  return total;
}

/** Every installed package (a folder with a package.json under node_modules, scoped and nested included). */
function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dirs = entry.name.startsWith("@") ? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`) : [entry.name];
    for (const name of dirs) {
      const dir = join(nodeModules, name);
      if (!existsSync(join(dir, "package.json"))) continue;
      found.push(name);
      if (existsSync(join(dir, "node_modules"))) found.push(...installedPackages(join(dir, "node_modules")));
    }
  }
  return found;
}

let work: string;
let tarball: string;
let tarballFiles: string[];
let installDir: string;
let installedBin: string;
let installMs: number;
let fixture: MemoryServiceFixture;
const numbers: Record<string, string> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "bridge-packed-"));
  // A fresh clone: the tracked (and new, unignored) files, no dist/, the repo's node_modules to build with.
  const clone = join(work, "clone");
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(REPO, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(REPO, file), join(clone, file));
  }
  symlinkSync(join(REPO, "node_modules"), join(clone, "node_modules"));
  expect(existsSync(join(clone, "dist"))).toBe(false);

  const pack = await run(npmBin("npm"), ["pack", "--json", "--pack-destination", work], { cwd: clone, env: cleanEnv({}), timeoutMs: 120_000 });
  expect(pack.code, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, packed.filename);
  tarballFiles = packed.files.map((file) => file.path);
  numbers.tarball = `${statSync(tarball).size} bytes`;

  // Exactly what `npx -y <package>` does, into a cold cache of its own.
  const cache = join(work, "npm-cache");
  const started = performance.now();
  const npx = await run(npmBin("npx"), ["--yes", "--package", tarball, "mcp-memory-bridge", "--version"], {
    cwd: work,
    env: cleanEnv({ npm_config_cache: cache }),
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  installMs = performance.now() - started;
  expect(npx.code, npx.stderr).toBe(0);
  expect(npx.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
  const [hash] = readdirSync(join(cache, "_npx"));
  installDir = join(cache, "_npx", hash!);
  installedBin = join(installDir, "node_modules", "mcp-memory-bridge", "bin", "mcp-memory-bridge.js");
  const packages = installedPackages(join(installDir, "node_modules"));
  numbers.packages = `${packages.length} packages (${packages.filter((name) => name !== "mcp-memory-bridge").length} besides the bridge)`;
  numbers.disk = `${bytesOnDisk(join(installDir, "node_modules"))} bytes in node_modules`;
  numbers.install = `${Math.round(installMs)} ms (npx, cold cache, keytar built from source when it can be)`;

  fixture = await createMemoryServiceFixture({ token: TOKEN });
}, INSTALL_TIMEOUT_MS + 150_000);

afterAll(async () => {
  await fixture?.close();
  console.info(`packaging: ${Object.entries(numbers).map(([key, value]) => `${key} ${value}`).join("; ")}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds bin/, dist/ without source maps, README, LICENSE and package.json, nothing else", () => {
    const listing = tarballFiles;
    // bin/package.json makes the bin CommonJS; it requires dist/serve-start.cjs, which imports dist/cli.js.
    const fixed = ["package.json", "README.md", "LICENSE", "bin/mcp-memory-bridge.js", "bin/package.json", "dist/serve-start.cjs"];
    expect(listing).toEqual(expect.arrayContaining([...fixed, "dist/cli.js"]));
    expect(listing.filter((path) => !fixed.includes(path) && !/^dist\/.*\.js$/.test(path))).toEqual([]);
    expect(listing.some((path) => path.endsWith(".map"))).toBe(false);
  });

  it("declares no runtime dependencies: only the two keychain modules, optional", () => {
    const manifest = JSON.parse(readFileSync(join(installDir, "node_modules", "mcp-memory-bridge", "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.optionalDependencies as object).sort()).toEqual(["@napi-rs/keyring", "keytar"]);
    expect(manifest).toMatchObject({ license: "MIT", repository: expect.anything(), homepage: expect.any(String), bugs: expect.anything() });
    expect(manifest.keywords).toEqual(expect.arrayContaining(["mcp", "mcp-server", "memory"]));
  });

  it("installs none of what the bundle carries (MCP SDK, undici, zod, conf)", () => {
    const packages = installedPackages(join(installDir, "node_modules"));
    for (const bundled of ["@modelcontextprotocol/sdk", "undici", "zod", "conf", "express", "hono", "ajv"]) expect(packages).not.toContain(bundled);
  });
});

describe("the installed bin", () => {
  it("--version and every command's --help", async () => {
    const env = cleanEnv({ HOME: work });
    const help = await run(process.execPath, [installedBin, "--help"], { cwd: work, env });
    expect(help.code, help.stderr).toBe(0);
    const commands = [...help.stdout.split("Commands:\n")[1]!.split("\n\n")[0]!.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]!);
    expect(commands).toEqual(expect.arrayContaining(["serve", "login", "logout", "status", "doctor", "project", "install", "uninstall", "setup"]));
    for (const command of commands) {
      const result = await run(process.execPath, [installedBin, command, "--help"], { cwd: work, env });
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      // Installed in a project's node_modules, it is run (and so named) through npx.
      expect(result.stdout, command).toMatch(new RegExp(`^Usage: npx mcp-memory-bridge \\[?${command}\\b`));
    }
  });

  it("serves a full MCP session over stdio against the fixture", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [installedBin],
      env: { HOME: work, PATH: process.env.PATH ?? "", MEMORY_BRIDGE_CONFIG_DIR: join(work, "bridge-config"), MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN },
      cwd: work,
      stderr: "pipe",
    });
    const client = new Client({ name: "packed-e2e", version: "1.0.0" });
    const started = performance.now();
    await client.connect(transport);
    numbers.initialize = `${Math.round(performance.now() - started)} ms spawn → initialize`;
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(["store_memory", "search_memories", "memory_status"]));
      const stored = await client.callTool({ name: "store_memory", arguments: { content: "the packed bridge works", tags: ["packed"] } });
      expect(stored.isError).toBeFalsy();
      const found = await client.callTool({ name: "search_memories", arguments: { query: "packed bridge" } });
      expect(JSON.stringify(found.structuredContent)).toContain("the packed bridge works");
      const status = await client.callTool({ name: "memory_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ endpoint: fixture.url, reachable: true, token_accepted: true });
    } finally {
      await client.close();
    }
  });

  it("started through npx, install writes the npx form: npx beside this node, pinned to the major", async () => {
    const run_ = await run(process.execPath, [installedBin, "install", "--client", "cursor", "--print", "--endpoint", fixture.url], {
      cwd: work,
      env: cleanEnv({ HOME: work, MEMORY_BRIDGE_CONFIG_DIR: join(work, "bridge-config") }),
    });
    expect(run_.code, run_.stderr).toBe(0);
    const entry = JSON.parse(run_.stdout.slice(run_.stdout.indexOf("{"), run_.stdout.lastIndexOf("}") + 1)).mcpServers.memory;
    expect(entry.args).toEqual(["-y", `mcp-memory-bridge@${JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version.split(".")[0]}`]);
    expect(entry.command).toBe(existsSync(join(nodeDir, "npx")) ? join(nodeDir, "npx") : expect.stringMatching(/npx$/));
    expect(entry.env.PATH.split(":")[0]).toBe(nodeDir);
  });
});
