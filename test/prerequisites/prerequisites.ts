/**
 * What some tests need from outside npm, how to tell it is there, and how to install it. A test
 * that needs one calls `needs(ctx, name)` first: when it is missing the test is skipped with that
 * reason (test/summary-reporter.ts then ends the run with one line naming every missing
 * prerequisite and its install command) — except under CI=true, where a skip is a failure, so CI
 * still proves every test.
 *
 * MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES=name,… makes those count as missing (to test this itself).
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import type { TestContext } from "vitest";
import { isExecutableFile } from "../../src/host.js";
import { findExecutable } from "../../src/invocation/find-executable.js";
import { netnsSupport } from "../integration/netns/netns.js";

export interface Prerequisite {
  /** What it is, for a person. */
  what: string;
  /** The command that installs it (Debian/Ubuntu, as .ci/run does). */
  install: string;
  present(): boolean;
}

const onPath = (...tools: string[]) => () => tools.every((tool) => findExecutable(tool, { env: process.env, platform: process.platform, isExecutableFile }) !== undefined);

/** Loads in a child process, so the test process never holds a libsecret connection of its own. */
const loads = (module: string) => () => spawnSync(process.execPath, ["-e", `require(${JSON.stringify(module)})`], { cwd: resolve("."), stdio: "ignore", timeout: 20_000 }).status === 0;

export const PREREQUISITES = {
  "secret-service": {
    what: "a private Secret Service for the keychain tests (dbus-run-session, dbus-send, gnome-keyring-daemon, secret-tool)",
    install: "apt-get install dbus-daemon dbus-bin gnome-keyring libsecret-tools",
    present: onPath("dbus-run-session", "dbus-send", "gnome-keyring-daemon", "secret-tool"),
  },
  keytar: {
    what: "keytar's native module (npm builds it from source and drops it silently when that fails)",
    install: "apt-get install libsecret-1-dev g++ make python3 && npm rebuild keytar",
    present: loads("keytar"),
  },
  script: {
    what: "util-linux script, which gives login a pseudo-terminal",
    install: "apt-get install bsdutils",
    present: onPath("script"),
  },
  openssl: {
    what: "openssl, which makes the TLS tests' certificate",
    install: "apt-get install openssl",
    present: onPath("openssl"),
  },
  netns: {
    what: "network namespaces (root and iproute2's ip), in which the mDNS tests advertise and browse without touching this machine's interfaces",
    install: "apt-get install iproute2, and run the tests as root",
    present: () => netnsSupport().ok,
  },
} satisfies Record<string, Prerequisite>;

export type PrerequisiteName = keyof typeof PREREQUISITES;

/** Starts every skip note, so the summary reporter can find them. */
export const MISSING_NOTE = "missing prerequisite: ";

const checked = new Map<PrerequisiteName, boolean>();

export function isPresent(name: PrerequisiteName): boolean {
  const hidden = (process.env.MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES ?? "").split(",").map((item) => item.trim());
  if (hidden.includes(name)) return false;
  if (!checked.has(name)) checked.set(name, PREREQUISITES[name].present());
  return checked.get(name)!;
}

export function strictAboutSkips(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI.toLowerCase() !== "false";
}

/** The skip note for one prerequisite: what is missing, then how to install it. */
export function missingNote(name: PrerequisiteName): string {
  return `${MISSING_NOTE}${PREREQUISITES[name].what} — install: ${PREREQUISITES[name].install}`;
}

/** Skips the test (or fails it under CI=true) unless every named prerequisite is present. */
export function needs(ctx: Pick<TestContext, "skip">, ...names: PrerequisiteName[]): void {
  const missing = names.filter((name) => !isPresent(name));
  if (missing.length === 0) return;
  if (strictAboutSkips()) {
    throw new Error(`CI=true and a prerequisite is missing, so this test fails instead of skipping: ${missing.map((name) => `${PREREQUISITES[name].what} (install: ${PREREQUISITES[name].install})`).join("; ")}`);
  }
  ctx.skip(missing.map(missingNote).join("\n"));
}
