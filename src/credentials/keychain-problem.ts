import { BridgeError } from "../core/errors.js";
import { briefError } from "./optional-module.js";
import type { SecretServiceProbe } from "./secret-service-probe.js";

/**
 * Why no keychain can be used, as `login`, `doctor` and the runtime lookup report it: a kind for
 * code, the raw detail, and the platform (whose keychain it is). `message` states the fact; the
 * ways out are written at the edge (mcp/keychain-words.ts).
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
  /** What is wrong, in one sentence. Never contains a token. */
  message: string;
  /** The underlying reason (probe detail, module load error, OS message). */
  detail: string;
  platform: NodeJS.Platform;
}

/** Thrown by keychain stores; `message` is the problem's. */
export class KeychainError extends BridgeError {
  override name = "KeychainError";
  constructor(readonly problem: KeychainProblem) {
    super(problem.message, { code: `keychain-${problem.kind}` });
  }
}

/** Platforms whose keychain modules talk to a Secret Service over D-Bus (all but macOS and Windows). */
export function usesSecretService(platform: NodeJS.Platform): boolean {
  return platform !== "darwin" && platform !== "win32";
}

/** "macOS Keychain", "Windows Credential Manager" or "keychain". */
export function keychainName(platform: NodeJS.Platform): string {
  return platform === "darwin" ? "macOS Keychain" : platform === "win32" ? "Windows Credential Manager" : "keychain";
}

/** What is wrong, without the detail. */
function what(kind: KeychainProblemKind, platform: NodeJS.Platform): string {
  switch (kind) {
    case "module-missing":
      return "No keychain module could be loaded";
    case "no-dbus":
      return "The keychain cannot be used because there is no D-Bus session bus";
    case "no-secret-service":
      return "The keychain cannot be used because no Secret Service (such as gnome-keyring) runs on the D-Bus session bus";
    case "locked":
      return "The keychain is locked";
    case "access-denied":
      return `The operating system refused access to the ${keychainName(platform)}`;
    case "other":
      return `The ${keychainName(platform)} could not be used`;
  }
}

/** Builds the problem of `kind` for `platform`. */
export function keychainProblem(kind: KeychainProblemKind, detail: string, platform: NodeJS.Platform): KeychainProblem {
  return { kind, message: `${what(kind, platform)} (${detail}).`, detail, platform };
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
