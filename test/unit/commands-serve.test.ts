/**
 * `serve`, called in-process with the machine and keychain injected: a client's requests in on
 * stdin, the replies out on stdout, as on each platform; it exits 0 once stdin ends.
 */
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { serveCommand } from "../../src/commands/serve-command.js";
import { discoverAndRemember } from "../../src/discovery/remembering-discovery.js";
import { PLATFORMS, runDirect, tempHome } from "../helpers/command-io.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";
import { makeGitRepo } from "../e2e/git-repo.js";

const TOKEN = "tok_serve_unit_Qa55distinct";
const server = memoryServiceForFile(TOKEN);

interface Reply {
  id: number;
  result?: { structuredContent?: Record<string, unknown>; isError?: boolean; content?: { text: string }[] };
}

/** A client on the other end of serve's stdin/stdout: send a request, wait (bounded) for its reply. */
function client() {
  const stdin = new PassThrough();
  const replies = new Map<number, Reply>();
  let buffered = "";
  const waiting = new Map<number, (reply: Reply) => void>();
  const onStdout = (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      const reply = JSON.parse(buffered.slice(0, newline)) as Reply;
      buffered = buffered.slice(newline + 1);
      replies.set(reply.id, reply);
      waiting.get(reply.id)?.(reply);
    }
  };
  let nextId = 1;
  const request = (method: string, params: unknown): Promise<Reply> => {
    const id = nextId++;
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${method} within 10 s`)), 10_000);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  };
  const notify = (method: string) => stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`);
  const callTool = (name: string, args: Record<string, unknown> = {}) => request("tools/call", { name, arguments: args });
  return { stdin, onStdout, request, notify, callTool };
}

describe.each(PLATFORMS)("serve on %s", (platform) => {
  it("answers initialize and tool calls with the keychain's token, and exits 0 when stdin ends", async () => {
    const home = tempHome();
    const repo = makeGitRepo("https://github.com/acme/serve-unit.git");
    const keychain = fakeKeychain({ tokens: { [server().url]: TOKEN } });
    const c = client();
    const running = runDirect(serveCommand, [], {
      stdin: c.stdin,
      onStdout: c.onStdout,
      cwd: repo,
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_ENDPOINT: server().url },
      keychain,
      host: { platform, home, tmpdir: join(home, "tmp") },
    });

    const init = await c.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "unit", version: "1" } });
    expect(init.result).toMatchObject({ serverInfo: { name: "mcp-memory-bridge" } });
    c.notify("notifications/initialized");

    const status = await c.callTool("memory_status");
    expect(status.result?.structuredContent).toMatchObject({
      endpoint: server().url,
      reachable: true,
      token_accepted: true,
      auth: { source: "keychain", scheme: "bearer" },
      project: { mode: "auto", source: "cwd", id: expect.stringMatching(/^project_serve-unit_[0-9a-f]{8}$/) },
    });
    const stored = await c.callTool("store_memory", { content: `serve on ${platform}` });
    expect(stored.result?.isError, stored.result?.content?.[0]?.text).toBeUndefined();
    expect(keychain.opened.map((opened) => opened.platform)).toEqual([platform]);

    c.stdin.end();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it("with an invalid setting it still serves, and every scoped tool says which setting is wrong", async () => {
    const home = tempHome();
    const c = client();
    const running = runDirect(serveCommand, [], {
      stdin: c.stdin,
      onStdout: c.onStdout,
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_TIMEOUT_MS: "soon" },
      host: { platform, home },
    });
    await c.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "unit", version: "1" } });
    const listed = await c.callTool("list_memories");
    expect(listed.result?.isError).toBe(true);
    expect(listed.result?.content?.[0]?.text).toMatch(/Invalid environment variable MEMORY_BRIDGE_TIMEOUT_MS "soon"/);
    c.stdin.end();
    expect((await running).code).toBe(0);
  });
});

describe("serve with no endpoint configured and discovery on", () => {
  it("answers initialize while discovery is still running; tools/list waits for it; a tool call uses what it found", async () => {
    const home = tempHome();
    const repo = makeGitRepo("https://github.com/acme/serve-discovery.git");
    const keychain = fakeKeychain({ tokens: { [server().url]: TOKEN } });
    const events: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const c = client();
    const running = runDirect(serveCommand, [], {
      stdin: c.stdin,
      onStdout: c.onStdout,
      cwd: repo,
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_DISCOVERY: "1" },
      keychain,
      host: { home },
      // Discovery that finishes only when the test says, then finds the fixture among the loopback candidates.
      discover: async (options) => {
        events.push("discovery started");
        await released;
        events.push("discovery done");
        return discoverAndRemember({ ...options, localCandidates: [server().url], browse: async () => ({ services: [] }) });
      },
    });

    const init = await c.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "unit", version: "1" } });
    expect(init.result).toMatchObject({ serverInfo: { name: "mcp-memory-bridge" } });
    expect(events).toEqual(["discovery started"]);
    c.notify("notifications/initialized");

    const listed = c.request("tools/list", {}).then((reply) => {
      events.push("tools/list answered");
      return reply;
    });
    setTimeout(release, 100);
    expect(((await listed).result as unknown as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
    expect(events).toEqual(["discovery started", "discovery done", "tools/list answered"]);

    const status = await c.callTool("memory_status");
    expect(status.result?.structuredContent).toMatchObject({ endpoint: server().url, endpoint_source: "discovered", reachable: true, token_accepted: true });
    c.stdin.end();
    expect((await running).code).toBe(0);
  });
});
