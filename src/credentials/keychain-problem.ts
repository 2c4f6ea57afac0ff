import { BridgeError } from "../errors.js";
import { briefError } from "./optional-module.js";
import type { SecretServiceProbe } from "./secret-service-probe.js";

/**
 * Why no keychain can be used, as `login`, `doctor` and the runtime lookup report it: a kind for
 * code, one sentence for people (with the ways out of contracts/cli.md), and the raw detail.
 */

export type KeychainProblemKind =
  /** Neither keytar nor @napi-rs/keyring (or not the forced one) could be loaded. */
  | "module-missing"
  /** No D-Bus session bus (Linux): no Secret Service can be reached. */
  | "no-dbus"
  /** A session bus, but no Secret Service on it. */
  | "no-secret-service"
  /** The default keyring is locked, or there is none yet. */
  | "locked"
  /** The operating system refused access (macOS/Windows prompt denied, D-Bus AccessDenied). */
  | "access-denied"
  | "other";

export interface KeychainProblem {
  kind: KeychainProblemKind;
  /** One sentence saying what is wrong and the ways out. Never contains a token. */
  message: string;
  /** The underlying reason (probe detail, module load error, OS message). */
  detail: string;
}

/** Thrown by keychain stores; `message` is the problem's sentence. */
export class KeychainError extends BridgeError {
  override name = "KeychainError";
  constructor(readonly problem: KeychainProblem) {
    super(problem.message);
  }
}

const INSECURE = "run `mcp-memory-bridge login --insecure-storage` to keep the token in a file only you can read";
const ENV = "set MEMORY_BRIDGE_TOKEN in the environment that starts the bridge";
const START_SECRET_SERVICE =
  "start a Secret Service (log in to a desktop session, or run `gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`)";
const START_OR_UNLOCK_SECRET_SERVICE =
  "start or unlock a Secret Service (log in to a desktop session, or run `gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`)";
const UNLOCK_SECRET_SERVICE =
  "unlock the keyring (log in to a desktop session, or pipe its password to `gnome-keyring-daemon --unlock --components=secrets`)";

/** Platforms whose keychain modules talk to a Secret Service over D-Bus (all but macOS and Windows). */
export function usesSecretService(platform: NodeJS.Platform): boolean {
  return platform !== "darwin" && platform !== "win32";
}

function sentence(what: string, detail: string, waysOut: string[]): string {
  const last = waysOut.length > 1 ? `, or ${waysOut[waysOut.length - 1]}` : "";
  const head = waysOut.length > 1 ? waysOut.slice(0, -1).join(", ") : (waysOut[0] ?? "");
  return `${what} (${detail}): ${head}${last}.`;
}

/** Builds the problem of `kind` with its sentence for `platform`. */
export function keychainProblem(kind: KeychainProblemKind, detail: string, platform: NodeJS.Platform): KeychainProblem {
  const linux = usesSecretService(platform);
  const keychainName = platform === "darwin" ? "macOS Keychain" : platform === "win32" ? "Windows Credential Manager" : "keychain";
  let message: string;
  switch (kind) {
    case "module-missing":
      message = sentence(
        "No keychain module could be loaded",
        detail,
        ["reinstall mcp-memory-bridge with its optional dependencies (keytar or @napi-rs/keyring)", INSECURE, ENV],
      );
      break;
    case "no-dbus":
      message = sentence("The keychain cannot be used because there is no D-Bus session bus", detail, [START_SECRET_SERVICE, INSECURE, ENV]);
      break;
    case "no-secret-service":
      message = sentence(
        "The keychain cannot be used because no Secret Service (such as gnome-keyring) runs on the D-Bus session bus",
        detail,
        [START_SECRET_SERVICE, INSECURE, ENV],
      );
      break;
    case "locked":
      message = sentence("The keychain is locked", detail, [linux ? UNLOCK_SECRET_SERVICE : `unlock the ${keychainName}`, INSECURE, ENV]);
      break;
    case "access-denied":
      message = sentence(
        `The operating system refused access to the ${keychainName}`,
        detail,
        [linux ? UNLOCK_SECRET_SERVICE : "allow mcp-memory-bridge (node) when the system asks", INSECURE, ENV],
      );
      break;
    case "other":
      message = sentence(`The ${keychainName} could not be used`, detail, [
        ...(linux ? [START_OR_UNLOCK_SECRET_SERVICE] : []),
        INSECURE,
        ENV,
      ]);
      break;
  }
  return { kind, message, detail };
}

/** The problem a failed Secret Service probe stands for; undefined when the probe was ok. */
export function problemFromProbe(probe: SecretServiceProbe, platform: NodeJS.Platform): KeychainProblem | undefined {
  if (probe.ok) return undefined;
  switch (probe.reason) {
    case "no-dbus":
    case "no-secret-service":
    case "locked":
      return keychainProblem(probe.reason, probe.detail, platform);
    case "timeout":
      return keychainProblem("other", `the Secret Service check timed out: ${probe.detail}`, platform);
    case "error":
      return keychainProblem("other", probe.detail, platform);
  }
}

// Messages seen from libsecret (keytar), keyring-rs (@napi-rs/keyring), macOS and Windows.
const PATTERNS: [KeychainProblemKind, RegExp][] = [
  ["no-dbus", /autolaunch|DBUS_SESSION_BUS_ADDRESS|failed to connect to socket|could not connect: (no such file|connection refused)|no such file or directory.*bus/i],
  ["no-secret-service", /org\.freedesktop\.secrets was not provided|ServiceUnknown|no secret service|NameHasNoOwner/i],
  ["locked", /\blocked\b|unlock|IsLocked/i],
  ["access-denied", /access.?denied|not permitted|permission denied|user canceled|user interaction is not allowed|authoriz|errSecAuthFailed|-128\b|-25293\b/i],
];

/** Classifies an error thrown by a keychain module. */
export function classifyKeychainError(error: unknown, platform: NodeJS.Platform): KeychainProblem {
  if (error instanceof KeychainError) return error.problem;
  const detail = briefError(error);
  const kind = PATTERNS.find(([, pattern]) => pattern.test(detail))?.[0] ?? "other";
  return keychainProblem(kind, detail, platform);
}
