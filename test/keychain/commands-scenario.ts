// Runs INSIDE test/keychain/with-secret-service.sh (unlocked mode): the CLI's login → serve →
// logout against the fixture with the real Secret Service, with one keychain backend forced.
// Prints one JSON line of observations; test/e2e/keychain-commands.test.ts asserts on it.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { createMemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { connectServe, runCli, runPrinted } from "./scenario-cli.js";

/** keytar or keyring forces one module; "auto" uses both, as a normal install does. */
const backend = process.argv[2] ?? "keytar";
const TOKEN = `tok_keychain_${backend}_Zx81distinctive`;
const BIN = resolve("bin/mcp-memory-bridge.js");
const env = { ...process.env, MEMORY_BRIDGE_KEYCHAIN_BACKEND: backend, MEMORY_BRIDGE_LOG_LEVEL: "debug" };

const cli = (args: string[], input = "", extraEnv: Record<string, string> = {}) => runCli(BIN, env, args, input, extraEnv);

/** What secret-tool sees (it prints attributes on stderr, the rest on stdout). */
function secretToolItems(): string {
  const run = spawnSync("secret-tool", ["search", "--all", "service", "mcp-memory-bridge"], { encoding: "utf8", timeout: 10_000 });
  return `${run.stdout ?? ""}${run.stderr ?? ""}`;
}

const fixture = await createMemoryServiceFixture({ token: TOKEN });
const out: Record<string, unknown> = { backend };
try {
  out.login = await cli(["login", fixture.url, "--with-token"], `${TOKEN}\n`);
  out.itemsAfterLogin = secretToolItems();

  // Started as an MCP client starts it: no token in its environment, only the keychain.
  const { client, stderr } = await connectServe(BIN, "keychain-scenario", { MEMORY_BRIDGE_KEYCHAIN_BACKEND: backend });
  out.memoryStatus = (await client.callTool({ name: "memory_status", arguments: {} })).structuredContent;
  out.list = await client.callTool({ name: "list_memories", arguments: {} });
  await client.close();
  out.serveStderr = stderr();
  out.authorizationHeaders = [...new Set(fixture.requests.map((r) => r.headers.authorization).filter(Boolean))];

  out.status = await cli(["status", "--json"]);
  if (backend === "auto") {
    // Stored through both modules, so a run that can load only one still finds it.
    out.statusKeytarOnly = await cli(["status", "--json"], "", { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "keytar" });
    out.statusKeyringOnly = await cli(["status", "--json"], "", { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "keyring" });
  }
  out.doctor = await cli(["doctor"]);
  // Another shell, without this session's bus: the token is there, but cannot be looked for.
  const noBus = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" };
  out.otherShellStatus = await cli(["status"], "", noBus);
  const otherShellLogout = await cli(["logout"], "", noBus);
  out.otherShellLogout = otherShellLogout;
  out.itemsAfterOtherShellLogout = secretToolItems();
  // The command that logout printed, run where login ran (inside this session), as printed.
  const printedLogout = /`([^`]* logout [^`]*)`/.exec(otherShellLogout.stderr)?.[1];
  out.printedLogout = printedLogout;
  out.logout = printedLogout ? await runPrinted(printedLogout, env) : { code: null, stdout: "", stderr: "logout printed no command" };
  out.itemsAfterLogout = secretToolItems();
  out.logoutAgain = await cli(["logout"]);
} finally {
  await fixture.close();
}
process.stdout.write(`${JSON.stringify({ ...out, token: TOKEN })}\n`);
