import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Notification, Request, Result } from "@modelcontextprotocol/sdk/types.js";

/**
 * The SDK's JSON-RPC framing for the client-facing (stdio) side, without the SDK Server's fixed
 * capabilities: the proxy learns its capabilities from the remote while `initialize` waits, and
 * relays every method it does not answer itself through `fallbackRequestHandler`. Protocol still
 * answers ping, turns notifications/cancelled into the handler's abort signal, and sends no
 * response for a cancelled request.
 */
export class LocalProtocol extends Protocol<Request, Notification, Result> {
  // Capabilities are the remote's; the proxy checks nothing on its behalf.
  protected assertCapabilityForMethod(): void {}
  protected assertNotificationCapability(): void {}
  protected assertRequestHandlerCapability(): void {}
  protected assertTaskCapability(): void {}
  protected assertTaskHandlerCapability(): void {}
}
