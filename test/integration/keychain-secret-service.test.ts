/**
 * The keychain against a REAL Secret Service (gnome-keyring) in a private D-Bus session.
 *
 * `npm test` covers this with no special invocation: this file spawns
 * test/keychain/with-secret-service.sh, which builds a throwaway sandbox (fresh temp HOME and XDG
 * dirs, private bus, unlocked keyring with a random password — or no bus, or a bus without a
 * Secret Service) and runs test/keychain/scenarios.ts inside it. The scenarios print what they
 * observed as JSON; the assertions are here. Each sandbox is its own process tree, so nothing
 * here (libsecret caches its bus connection per process) can reach the real user's session bus.
 *
 * A test whose sandbox needs what this machine lacks (dbus-run-session, gnome-keyring-daemon,
 * secret-tool or dbus-send; keytar's native module for the unlocked and locked keyring) is skipped
 * with a note saying what to install, and fails instead under CI=true
 * (test/prerequisites/prerequisites.ts). Only Linux has a Secret Service to test: elsewhere the suite
 * is reported as skipped.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KEYCHAIN_SERVICE } from "../../src/credentials/token-store.js";
import { needs } from "../prerequisites/prerequisites.js";

const RUNNER = resolve("test/keychain/with-secret-service.sh");
const SCENARIOS = resolve("test/keychain/scenarios.ts");
const RUN_TIMEOUT_MS = 60_000;
const HOW_TO =
  "The keychain tests build a private Secret Service with test/keychain/with-secret-service.sh; on Debian/Ubuntu install " +
  "`dbus-daemon dbus-bin gnome-keyring libsecret-tools` (keytar builds against libsecret-1-dev: install it, then `npm rebuild keytar`), then run `npx vitest run test/integration/keychain`. " +
  "To debug by hand: `test/keychain/with-secret-service.sh -- node --import tsx test/keychain/scenarios.ts unlocked`.";

type Mode = "unlocked" | "no-bus" | "bus-only" | "no-keyring";
type Settled = { value?: unknown; error?: string; kind?: string };
// The scenarios' JSON, read loosely: the assertions below say what each field must be.
type Observations = Record<string, any>;

interface SandboxRun {
  code: number | null;
  stderr: string;
  result?: Observations;
}

function runInSandbox(mode: Mode): Promise<SandboxRun> {
  return new Promise((done) => {
    // Through bash, so a checkout that lost the script's exec bit still runs it.
    const child = spawn("bash", [RUNNER, "--mode", mode, "--", process.execPath, "--import", "tsx", SCENARIOS, mode], {
      cwd: resolve("."),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a timeout can end the whole sandbox
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${RUN_TIMEOUT_MS} ms]`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, RUN_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      done({ code: null, stderr: `${stderr}\n${error.message}` });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("KEYCHAIN_RESULT "));
      done({ code, stderr, ...(line !== undefined && { result: JSON.parse(line.slice("KEYCHAIN_RESULT ".length)) as Observations }) });
    });
  });
}

const runs = new Map<Mode, SandboxRun>();

/** The observations of one sandbox, or a failure that says how to make the sandbox work. */
function observed(mode: Mode): Observations {
  const run = runs.get(mode);
  if (run?.result === undefined) {
    const why = run === undefined ? "it did not run" : `exit ${run.code}: ${run.stderr.trim().split("\n").slice(-8).join("\n")}`;
    throw new Error(`The "${mode}" keychain sandbox failed (${why}).\n${HOW_TO}`);
  }
  return run.result;
}

describe.skipIf(process.platform !== "linux")("keychain against a real Secret Service (private D-Bus session)", () => {
  beforeAll(async () => {
    const modes: Mode[] = ["unlocked", "no-bus", "bus-only", "no-keyring"];
    const results = await Promise.all(modes.map(runInSandbox));
    modes.forEach((mode, index) => runs.set(mode, results[index]!));
  }, RUN_TIMEOUT_MS + 5_000);

  describe("unlocked keyring", () => {
    // The scenario drives keytar as well as @napi-rs/keyring, so without keytar it reports nothing.
    beforeEach((ctx) => needs(ctx, "secret-service", "keytar"));

    it("the probe says ok and both backends load, keytar first", () => {
      const unlocked = observed("unlocked");
      expect(unlocked.probe).toEqual({ ok: true });
      expect(unlocked.autoStoreNames).toEqual(["keytar", "keyring"]);
      expect(unlocked.autoProblem).toBeUndefined();
    });

    for (const [backend, attribute] of [["keytar", "account"], ["keyring", "username"]] as const) {
      describe(`${backend} (forced with MEMORY_BRIDGE_KEYCHAIN_BACKEND=${backend})`, () => {
        it("is the only store", () => {
          expect(observed("unlocked")[backend].storeNames).toEqual([backend]);
        });

        it("round-trips set, get, overwrite and delete", () => {
          const r = observed("unlocked")[backend];
          expect(r.missBefore).toEqual({});
          expect(r.set.error).toBeUndefined();
          expect(r.got).toEqual({ value: r.token });
          expect(r.gotReplacement).toEqual({ value: r.replacement });
          expect(r.itemsAfterOverwrite).toBe(1);
          expect(r.deleted).toEqual({ value: true });
          expect(r.deletedAgain).toEqual({ value: false });
          expect(r.missAfter).toEqual({});
        });

        it(`really stores the secret in the Secret Service (attributes service + ${attribute})`, () => {
          const r = observed("unlocked")[backend];
          expect(r.outsideLookup).toBe(r.token);
          expect(r.outsideItem.count).toBe(1);
          expect(r.outsideItem.secret).toBe(r.token);
          expect(r.outsideItem.attributes).toMatchObject({ service: KEYCHAIN_SERVICE, [attribute]: "https://keychain-" + backend + ".test.invalid:8443/base" });
          expect(r.outsideAfterDelete).not.toBe(0); // secret-tool lookup finds nothing after delete
        });
      });
    }

    it("a token only @napi-rs/keyring has is missed by keytar and found in the second store", () => {
      const cross = observed("unlocked").cross;
      expect(cross.keytarSees).toEqual({});
      expect(cross.resolved).toMatchObject({ token: cross.token, source: "keychain", origin: "keyring", failures: [] });
      expect(cross.runtime).toMatchObject({ token: cross.token, source: "keychain", origin: "keyring", failures: [] });
    });

    it("keytar reads an item written from outside with its attributes (service, account, xdg:schema)", () => {
      const outside = observed("unlocked").outside;
      expect(outside.keytarReads).toEqual({ value: outside.token });
    });
  });

  describe("locked keyring", () => {
    beforeEach((ctx) => needs(ctx, "secret-service", "keytar"));

    it("the probe says locked and openKeychain gives no stores and a locked problem", () => {
      const locked = observed("unlocked").locked;
      expect(locked.lock.status).toBe(0);
      expect(locked.probe).toMatchObject({ ok: false, reason: "locked" });
      expect(locked.open.stores).toEqual([]);
      expect(locked.open.problem.kind).toBe("locked");
      expect(locked.open.words).toMatch(/locked.*gnome-keyring-daemon --unlock.*--insecure-storage.*MEMORY_BRIDGE_TOKEN/);
    });

    it("the runtime lookup reports the lock once instead of a silent miss", () => {
      const runtime = observed("unlocked").locked.runtime;
      expect(runtime.token).toBeUndefined();
      expect(runtime.failures).toHaveLength(1);
      expect(runtime.failures[0]).toMatchObject({ store: "keytar", reason: expect.stringMatching(/keychain is locked/) });
    });

    it("without the probe, keytar reads a locked keyring as empty; writes and @napi-rs/keyring fail as locked", () => {
      const locked = observed("unlocked").locked;
      expect(locked.keytarGet).toEqual({}); // the silent miss the probe exists for
      for (const attempt of [locked.keytarSet, locked.keyringGet, locked.keyringSet] as Settled[]) {
        expect(attempt.kind).toBe("locked");
      }
      expect(locked.keytarSet.error).toContain("Cannot create an item in a locked collection");
      expect(locked.keyringGet.error).toContain("unlock prompt was dismissed");
    });
  });

  const unusable: [Mode, string, RegExp][] = [
    ["no-bus", "no-dbus", /DBUS_SESSION_BUS_ADDRESS is not set/],
    ["bus-only", "no-secret-service", /nothing owns org\.freedesktop\.secrets/],
    ["no-keyring", "locked", /no default keyring/],
  ];
  for (const [mode, kind, detail] of unusable) {
    describe(`${mode} sandbox`, () => {
      // Without a bus nothing outside npm is needed; a private bus needs dbus-run-session and dbus-send.
      if (mode !== "no-bus") beforeEach((ctx) => needs(ctx, "secret-service"));

      it(`the probe and openKeychain report ${kind}, for auto and for each forced backend`, () => {
        const r = observed(mode);
        expect(r.probe).toMatchObject({ ok: false, reason: kind, detail: expect.stringMatching(detail) });
        for (const opened of [r.open, r.forced.keytar, r.forced.keyring]) {
          expect(opened.stores).toEqual([]);
          expect(opened.problem.kind).toBe(kind);
          expect(opened.words).toMatch(/--insecure-storage.*MEMORY_BRIDGE_TOKEN/);
        }
        expect(r.openMs).toBeLessThan(1500);
      });

      it("the runtime lookup reports the problem once, and writes fail", () => {
        const r = observed(mode);
        expect(r.runtime.storeNames).toEqual(["keytar", "keyring", "file"]);
        expect(r.runtime.resolution.token).toBeUndefined();
        expect(r.runtime.resolution.failures).toHaveLength(1);
        const [keytar, keyring, file] = r.runtime.set as Settled[];
        for (const attempt of [keytar!, keyring!]) expect(attempt.kind).toBe(kind);
        // The runtime's file store is read-only: no silent plaintext fallback.
        expect(file!.error).toMatch(/only by `login --insecure-storage`/);
      });

      it("nothing is written: no new file, no kernel keyutils key", () => {
        const r = observed(mode);
        if (mode === "no-keyring") {
          // The activated gnome-keyring makes its own directories; only our config dir matters.
          expect((r.filesAfter as string[]).filter((f) => f.startsWith("config/"))).toEqual(["config/"]);
        } else {
          expect(r.filesAfter).toEqual(r.filesBefore);
        }
        expect(r.kernelKeysAfter).toEqual(r.kernelKeysBefore);
        if (r.kernelKeysAfter !== null) expect(r.kernelKeysAfter).toEqual([]);
      });
    });
  }

  it("an address pointing nowhere is no-dbus", () => {
    const nowhere = observed("no-bus").nowhere;
    expect(nowhere.probe).toMatchObject({ ok: false, reason: "no-dbus", detail: expect.stringContaining("ENOENT") });
    expect(nowhere.open).toMatchObject({ stores: [], problem: { kind: "no-dbus" } });
  });
});
