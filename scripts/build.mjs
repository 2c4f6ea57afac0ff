// Bundles the CLI so `npx` installs almost nothing and starts fast. Code splitting keeps what
// `initialize` does not need (undici, the subcommands) in chunks loaded on first use. The native
// keychain modules stay external: they are optional dependencies loaded lazily.
import { readFileSync, rmSync } from "node:fs";
import { constants as http2Constants } from "node:http2";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * The MCP SDK's Server constructs an Ajv instance for elicitation schemas, which this server never
 * sends; we pass our own validator, so the SDK's Ajv provider is replaced by a stub at bundle time
 * and Ajv's code never loads.
 */
const noAjv = {
  name: "no-ajv",
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, () => ({ path: "ajv-provider-stub", namespace: "no-ajv" }));
    b.onLoad({ filter: /.*/, namespace: "no-ajv" }, () => ({
      contents: "export class AjvJsonSchemaValidator { constructor() { throw new Error('Ajv is not bundled'); } }",
      loader: "js",
    }));
  },
};

/**
 * zod re-exports all of its ~60 locales (`z.locales`), which a namespace import keeps in the
 * bundle; only English messages are ever used here (zod's default), so the others are left out.
 */
const englishOnlyZod = {
  name: "english-only-zod",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/zod/") ? { path: "zod-locales-en", namespace: "english-only-zod", pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "english-only-zod" }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: args.pluginData,
      loader: "js",
    }));
  },
};

/**
 * jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its ESM build
 * ("module") bundles cleanly. Only this package is redirected: the others keep esbuild's defaults.
 */
const jsoncParserEsm = {
  name: "jsonc-parser-esm",
  setup(b) {
    b.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: fileURLToPath(new URL("../node_modules/jsonc-parser/lib/esm/main.js", import.meta.url)) }));
  },
};

/**
 * undici's HTTP/1 client module requires its HTTP/2 client, which requires node:http2, which loads
 * node:tls (about 2 MB and 3 ms), although HTTP/2 is only used with `allowH2`, which the bridge never
 * sets: node:http2 is required when a connection is made instead, and the constants undici reads as
 * it loads come from this Node. (The bundle holds only the undici modules src/http/undici-parts.ts
 * names, not its index: fetch, WebSocket, cookies and the rest are not in it.)
 * A rewrite whose text is gone (undici changed) fails the build rather than passing unnoticed.
 */
const UNDICI_REWRITES = [
  {
    file: /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/,
    eager: "http2 = require('node:http2')",
    lazy(source) {
      const names = [...new Set([...source.matchAll(/\b(N?GHTTP2_[A-Z_]+|HTTP2_[A-Z_]+),?\s*$/gm)].map((m) => m[1]))];
      const constants = Object.fromEntries(names.map((name) => [name, http2Constants[name]]));
      return `http2 = { constants: ${JSON.stringify(constants)}, connect: (...args) => require('node:http2').connect(...args) }`;
    },
  },
];
const undiciLoadsLess = {
  name: "undici-loads-less",
  setup(b) {
    for (const rewrite of UNDICI_REWRITES) {
      b.onLoad({ filter: rewrite.file }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes(rewrite.eager)) throw new Error(`${args.path} no longer contains ${rewrite.eager}: update UNDICI_REWRITES in scripts/build.mjs`);
        return { contents: source.replace(rewrite.eager, rewrite.lazy(source)), loader: "js" };
      });
    }
  },
};

// `npm pack` (prepack) builds with --release: no source maps in the published package.
const release = process.argv.includes("--release");

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  minify: true,
  sourcemap: release ? false : "linked",
  legalComments: "none",
  external: ["keytar", "@napi-rs/keyring"],
  plugins: [noAjv, englishOnlyZod, jsoncParserEsm, undiciLoadsLess],
  // Some bundled dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: 'import { createRequire as __bridgeCreateRequire } from "node:module"; const require = __bridgeCreateRequire(import.meta.url);' },
  logLevel: "warning",
});

/**
 * The bin's entry, serve-start (it answers `initialize` before the CLI loads), is one CommonJS file
 * of its own: a few KB read in one go, sharing no chunk with the CLI, which it imports as ./cli.js.
 */
const cliAsExternal = {
  name: "cli-as-external",
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: "./cli.js", external: true }));
  },
};
await build({
  entryPoints: ["src/serve-start.ts"],
  outfile: "dist/serve-start.cjs",
  bundle: true,
  platform: "node",
  // CommonJS, loaded with require() by the bin: no ES module loader before the first answer.
  format: "cjs",
  target: "node20.19",
  minify: true,
  sourcemap: release ? false : "linked",
  legalComments: "none",
  plugins: [cliAsExternal],
  logLevel: "warning",
});
