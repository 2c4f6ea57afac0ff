import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { SetupError } from "../core/errors.js";
import { AuthError } from "../http/errors.js";
import type { Logger } from "../log.js";
import { unauthorized, withAuthRetry } from "../session/auth-retry.js";
import type { Session } from "../session/session.js";
import { tokenVariableOf } from "../session/token.js";
import { explain } from "./error-words.js";
import { withDefaultEndpointHint } from "./status.js";
import { PACKAGE_NAME, VERSION } from "../version.js";
import { BACKENDS } from "../backends/registry.js";
import { PROXY_BACKEND, type BackendFlavour } from "../core/unions.js";
import * as z from "zod";
import { toolsFor, type ToolDefinition } from "./tools.js";
import { errorResult, successResult } from "./tool-result.js";
import { INSTRUCTIONS, SERVER_CAPABILITIES } from "./initialize-answer.js";

export interface BridgeServerDeps {
  session: Session;
  logger: Logger;
  now?: () => number;
  /** Resolves once every reply sent so far has been handed to stdout (see StdioTransport.drained). */
  written?: () => Promise<void>;
}

/** This server never elicits input, so it needs no JSON Schema validator (and so no Ajv: see scripts/build.mjs). */
const NO_ELICITATION: jsonSchemaValidator = {
  getValidator: () => () => ({ valid: false, data: undefined, errorMessage: "mcp-memory-bridge does not validate elicitation schemas" }),
};

/** One tool as tools/call runs it: its arguments' schema (as the SDK checks them) and its body. */
export interface ToolCall {
  input: z.ZodType<Record<string, unknown>>;
  /** Never rejects: every failure is an isError result. */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>;
}

export interface BridgeServer {
  server: McpServer;
  /** The tool of this name as offered right now (tools/list), or undefined. */
  toolCall(name: string): ToolCall | undefined;
  /**
   * The backend turned out to be `flavour` (detected with --backend auto): offer its tools.
   * Called before tools/list is answered, so the client's first list is already right.
   */
  useFlavour(flavour: BackendFlavour): void;
}

export function createBridgeServer({ session, logger, now = Date.now, written = () => Promise.resolve() }: BridgeServerDeps): BridgeServer {
  const server = new McpServer(
    { name: PACKAGE_NAME, version: VERSION },
    { capabilities: SERVER_CAPABILITIES, instructions: INSTRUCTIONS, jsonSchemaValidator: NO_ELICITATION },
  );
  // The flavour is known from the settings (and the profile login saved) before any request.
  // A remote MCP server that could not be proxied gets the canonical tools, which then report why.
  const initial = session.flavour;
  let capabilities = initial === PROXY_BACKEND ? { history: false, updateContent: false } : BACKENDS[initial].capabilities;
  const registered = new Map<string, { sdk: RegisteredTool; call: ToolCall }>();
  const offer = (tools: ToolDefinition[]) => {
    for (const tool of tools) {
      const run = toolBody(tool, session, logger, now, written);
      // One schema for both paths (the SDK's and direct-tool-calls.ts), so they check arguments alike.
      const input = tool.looseInput ? z.looseObject(tool.inputSchema) : z.object(tool.inputSchema);
      const sdk = server.registerTool(
        tool.name,
        { title: tool.title, description: tool.description, inputSchema: input, outputSchema: tool.outputSchema, annotations: tool.annotations },
        (args: Record<string, unknown>, extra) => run(args, extra.signal),
      );
      registered.set(tool.name, { sdk, call: { input: input as z.ZodType<Record<string, unknown>>, run } });
    }
  };
  offer(toolsFor(capabilities));
  return {
    server,
    toolCall: (name) => registered.get(name)?.call,
    useFlavour(flavour) {
      const wanted = BACKENDS[flavour].capabilities;
      if (wanted.history === capabilities.history && wanted.updateContent === capabilities.updateContent) return;
      capabilities = wanted;
      // Only the tools whose shape depends on the capabilities change.
      for (const name of CAPABILITY_TOOLS) {
        registered.get(name)?.sdk.remove();
        registered.delete(name);
      }
      offer(toolsFor(wanted).filter((tool) => CAPABILITY_TOOLS.includes(tool.name)));
    },
  };
}

const CAPABILITY_TOOLS: readonly string[] = ["update_memory", "memory_history"];

/** What a tools/call of `tool` does once its arguments are checked; every failure becomes an isError result. */
function toolBody(
  tool: ToolDefinition,
  session: Session,
  logger: Logger,
  now: () => number,
  written: () => Promise<void>,
): ToolCall["run"] {
  return async (args, signal) => {
    // One deadline for the whole call, every HTTP attempt and backoff included.
    const deadline = now() + session.settings.timeoutMs;
    const held: (() => void)[] = [];
    const retain = (release: () => void) => void held.push(release);
    try {
      if (tool.scoped && session.setupProblem) throw new SetupError(session.setupProblem);
      const project = await session.project.resolve();
      if (tool.scoped && project.error) throw new SetupError(project.error);
      const ctx = { deadline, timeoutMs: session.settings.timeoutMs, signal, project, retain };
      // A 401 was not processed, so the call can run again once `login` has stored a new token.
      return successResult(await withAuthRetry(session.token, () => tool.run(args as never, ctx, session), unauthorized));
    } catch (error) {
      // A discovered server that stopped answering, or a known route gone: the next call looks again.
      await session.noteFailure(error).catch(() => undefined);
      const result = errorResult(tool.name, error, logger, { command: session.commandName, tokenVariable: error instanceof AuthError ? await tokenVariableOf(session.token) : undefined });
      // A bad profile or token file is what usually lies behind these: say so with them.
      if (error instanceof AuthError || error instanceof SetupError) {
        const problems = (await session.fileProblems().catch(() => [])).map((problem) => explain(problem, { command: session.commandName }));
        for (const block of result.content) if (block.type === "text" && problems.length > 0) block.text += ` (Also: ${problems.join(" ")})`;
      }
      for (const block of result.content) {
        if (block.type === "text") block.text = session.redact(withDefaultEndpointHint(error, session, block.text));
      }
      return result;
    } finally {
      // A large answer's permit is kept until its reply has been handed to stdout (the reply is
      // queued in the microtasks after this returns), so the next one waits for the client to read.
      if (held.length > 0) setImmediate(() => void written().then(() => held.forEach((release) => release())));
    }
  };
}
