import { describe, expect, it } from "vitest";
import { readEnvSettings } from "../../src/config/env.js";
import { envValue } from "../../src/core/env.js";
import { tokenFromEnv } from "../../src/credentials/env-token.js";
import { resolveToken } from "../../src/credentials/resolve-token.js";
import type { TokenStore } from "../../src/credentials/token-store.js";

/** Claude Desktop's extension host passes an optional field left blank as the literal `${user_config.x}`. */
describe("unexpanded ${…} placeholders count as unset", () => {
  it("envValue and every setting read through it", () => {
    expect(envValue({ X: "${user_config.endpoint}" }, "X")).toBeUndefined();
    expect(envValue({ X: " ${user_config.backend} " }, "X")).toBeUndefined();
    expect(envValue({ X: "${HOME}/ca.pem" }, "X")).toBe("${HOME}/ca.pem"); // only a whole-value placeholder
    expect(envValue({ X: "pa$${word}" }, "X")).toBe("pa$${word}");
    expect(readEnvSettings({ MEMORY_BRIDGE_PROJECT_MODE: "${user_config.project_mode}", PROJECT_ID_MODE: "global", MEMORY_BRIDGE_BACKEND: "${user_config.backend}" })).toEqual({
      projectMode: { value: "global", variable: "PROJECT_ID_MODE" },
    });
  });

  it("a blank token field does not outrank the keychain", async () => {
    const env = { MEMORY_BRIDGE_TOKEN: "${user_config.token}" };
    expect(tokenFromEnv(env)).toBeUndefined();
    const keychain: TokenStore = { name: "keytar", get: async () => "tok_from_keychain", set: async () => undefined, delete: async () => false };
    expect(await resolveToken({ env, endpoint: "https://m.example/api", stores: [keychain] })).toMatchObject({ token: "tok_from_keychain", source: "keychain" });
  });
});
