import { keychainName, usesSecretService, type KeychainProblem } from "../credentials/keychain-problem.js";
import { PACKAGE_NAME } from "../version.js";

/** Why the keychain cannot be used, in one sentence with the ways out of contracts/cli.md. */

export interface KeychainWordsOptions {
  /** How to name this command so that it runs as printed (invocationOf(ctx).name). */
  command: string;
  /** The arguments login needs to run as printed (the URL, --with-token …), when known. */
  loginArgs?: readonly string[];
}

function insecure(options: KeychainWordsOptions): string {
  const command = [options.command, "login", ...(options.loginArgs ?? []), "--insecure-storage"].join(" ");
  return `run \`${command}\` to keep the token in a file only you can read`;
}

const ENV = "set MEMORY_BRIDGE_TOKEN in the environment that starts the bridge";
const START_SECRET_SERVICE =
  "start a Secret Service (log in to a desktop session, or run `gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`)";
const START_OR_UNLOCK_SECRET_SERVICE =
  "start or unlock a Secret Service (log in to a desktop session, or run `gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`)";
const UNLOCK_SECRET_SERVICE =
  "unlock the keyring (log in to a desktop session, or pipe its password to `gnome-keyring-daemon --unlock --components=secrets`)";

function waysOut(problem: KeychainProblem, options: KeychainWordsOptions): string[] {
  const INSECURE = insecure(options);
  const linux = usesSecretService(problem.platform);
  switch (problem.kind) {
    case "module-missing":
      return [`reinstall ${PACKAGE_NAME} with its optional dependencies (keytar or @napi-rs/keyring)`, INSECURE, ENV];
    case "no-dbus":
    case "no-secret-service":
      return [START_SECRET_SERVICE, INSECURE, ENV];
    case "locked":
      return [linux ? UNLOCK_SECRET_SERVICE : `unlock the ${keychainName(problem.platform)}`, INSECURE, ENV];
    case "access-denied":
      return [linux ? UNLOCK_SECRET_SERVICE : `allow ${PACKAGE_NAME} (node) when the system asks`, INSECURE, ENV];
    case "other":
      return [...(linux ? [START_OR_UNLOCK_SECRET_SERVICE] : []), INSECURE, ENV];
  }
}

/** "The keychain is locked (detail): unlock the keyring (…), run `… --insecure-storage` …, or set MEMORY_BRIDGE_TOKEN …." */
export function keychainWords(problem: KeychainProblem, options: KeychainWordsOptions): string {
  const ways = waysOut(problem, options);
  const last = ways.length > 1 ? `, or ${ways[ways.length - 1]}` : "";
  const head = ways.length > 1 ? ways.slice(0, -1).join(", ") : (ways[0] ?? "");
  return `${problem.message.replace(/\.$/, "")}: ${head}${last}.`;
}
