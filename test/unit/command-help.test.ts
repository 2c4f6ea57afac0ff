import { PassThrough } from "node:stream";
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli.js";
import { helpText, parseOptionsOf } from "../../src/commands/shared/command-help.js";
import { keychainAvailability } from "../../src/commands/shared/keychain-availability.js";
import { globalFlagOptions } from "../../src/config/flags.js";
import type { CommandContext } from "../../src/commands/context.js";
import { loadHttpClient } from "../../src/http/load-client.js";
import { fakeHost } from "../helpers/fake-host.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";

/** issue 10 item 9: each command's --help and its parser come from one declaration, and cannot disagree. */

const NAME = "npx mcp-memory-bridge";
const ctx: CommandContext = {
  argv: [],
  env: {},
  cwd: "/tmp",
  stdin: new PassThrough(),
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  host: fakeHost(),
  keychain: fakeKeychain().open,
  http: loadHttpClient,
};

/** The words of a simple shell line, up to the first pipe, redirection, `&&` or comment. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const word of line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []) {
    if (["|", "<", ">", "&&", "#"].includes(word)) break;
    out.push(word.replace(/^["']|["']$/g, ""));
  }
  return out;
}

describe.each(COMMANDS.map((c) => c.name))("%s --help", (commandName) => {
  it("lists exactly the options the parser takes, and every flag it mentions is one of them", async () => {
    const command = await COMMANDS.find((c) => c.name === commandName)!.load();
    const help = await helpText(command, ctx, NAME);
    const accepted = Object.keys(parseOptionsOf(command));
    const listed = [...help.matchAll(/^ {2}(?:-\w, )?--([a-z0-9-]+)/gm)].map((m) => m[1]!);
    expect(new Set(listed)).toEqual(new Set(accepted));
    for (const mentioned of help.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)) expect(accepted, `--${mentioned[1]} in ${commandName} --help`).toContain(mentioned[1]);
    // Settings the command does not read are neither listed nor taken.
    for (const flag of Object.keys(globalFlagOptions).filter((f) => !accepted.includes(f))) expect(help).not.toContain(`--${flag}`);
  });

  it("starts with a usage line naming the command as this run is named, and its examples parse as this command's", async () => {
    const command = await COMMANDS.find((c) => c.name === commandName)!.load();
    const help = await helpText(command, ctx, NAME);
    expect(help).toMatch(new RegExp(`^Usage: ${NAME} \\[?${commandName}\\b`));
    const examples = help.split("Examples:\n")[1]?.split("\n").filter((line) => line.startsWith("  ")) ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const line = example.trim();
      const start = line.indexOf(NAME);
      expect(start, example).toBeGreaterThanOrEqual(0);
      const args = words(line.slice(start + NAME.length));
      const run = args[0] === commandName ? args.slice(1) : args;
      if (args[0] !== commandName) continue; // e.g. serve's example runs login and install first
      const parsed = parseArgs({ args: run, options: parseOptionsOf(command), allowPositionals: true, strict: true });
      expect(parsed.positionals.length, example).toBeLessThanOrEqual(command.maxArguments ?? 0);
    }
  });
});

describe("keychain modules in login and setup --help", () => {
  const both = { default: { getPassword() {}, setPassword() {}, deletePassword() {}, AsyncEntry: class {} } };

  it("names the modules that load", async () => {
    expect(await keychainAvailability(async () => both)).toEqual(["Keychain modules here: keytar, @napi-rs/keyring."]);
  });

  it("names one that is not installed as not usable", async () => {
    const noKeytar = async (specifier: string) => {
      if (specifier === "keytar") throw Object.assign(new Error("Cannot find package 'keytar'"), { code: "ERR_MODULE_NOT_FOUND" });
      return both;
    };
    expect(await keychainAvailability(noKeytar)).toEqual(["Keychain modules here: @napi-rs/keyring. Not usable here: keytar (not installed)."]);
  });

  it("with none installed, does not offer the keychain: says so and gives the ways that work", async () => {
    const missing = async (specifier: string) => {
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: "ERR_MODULE_NOT_FOUND" });
    };
    const lines = (await keychainAvailability(missing)).join("\n");
    expect(lines).toMatch(/^No keychain module can be loaded here \(keytar: not installed; @napi-rs\/keyring: not installed\), so the token cannot go to the OS keychain\./);
    expect(lines).toMatch(/--insecure-storage/);
    expect(lines).toMatch(/MEMORY_BRIDGE_TOKEN/);
  });
});

describe("--global in install and setup --help", () => {
  it("is said to be unavailable, with the install that makes it work, when there is no global install", async () => {
    const { globalAvailability } = await import("../../src/commands/install-command.js");
    expect(await globalAvailability(ctx)).toEqual([
      "--global is not available here: mcp-memory-bridge is not installed globally (not on PATH, not in npm's global folder). Install it with npm install -g mcp-memory-bridge (from this checkout: npm install -g /work/checkout) to use it.",
    ]);
  });

  it("says nothing more when the command is on PATH", async () => {
    const { globalAvailability } = await import("../../src/commands/install-command.js");
    const installed = { ...ctx, host: fakeHost({ executables: { "mcp-memory-bridge": "/usr/local/bin/mcp-memory-bridge" } }) };
    expect(await globalAvailability(installed)).toEqual([]);
  });
});
