import os from "node:os";
import type { Env } from "../core/env.js";

/** The OS user name (the default mem0 user id), or undefined when the system cannot tell. */
export function currentOsUserName(env: Env = process.env): string | undefined {
  try {
    // Throws in containers running as a uid without a passwd entry.
    const { username } = os.userInfo();
    if (username) return username;
  } catch {
    // fall through to the environment
  }
  return env.USER || env.USERNAME || env.LOGNAME || undefined;
}
