import { pathFor } from "../invocation/how-started.js";
import { appDataDir } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/**
 * The user-profile mcp.json ("MCP: Open User Configuration") in VS Code's User folder: servers under
 * `servers`, each with `type`, in JSON with comments.
 */
export const vscode: ClientDescriptor = {
  id: "vscode",
  displayName: "VS Code",
  format: "jsonc",
  configPath: (host) => pathFor(host.platform).join(appDataDir(host), "Code", "User", "mcp.json"),
  detectPaths: (host) => [pathFor(host.platform).join(appDataDir(host), "Code", "User")],
  serversKey: ["servers"],
  entry: (launch) => ({ type: "stdio", ...standardEntry(launch) }),
  restart: "restart-editor",
};
