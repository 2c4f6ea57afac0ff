import type { CommandContext } from "../context.js";

type Input = CommandContext["stdin"] & { setRawMode?: (raw: boolean) => unknown };

/**
 * Asks for a secret on a terminal without echoing it. Enter finishes, Ctrl-C / Ctrl-D abort
 * (resolves undefined), Backspace edits; a pasted token with a trailing newline works.
 */
export function promptHidden(ctx: CommandContext, question: string): Promise<string | undefined> {
  const input = ctx.stdin as Input;
  // Echo goes off before the prompt shows, so nothing typed after seeing it can be echoed.
  input.setRawMode?.(true);
  ctx.stderr.write(question);
  return new Promise((resolve) => {
    let value = "";
    const finish = (result: string | undefined) => {
      input.off("data", onData);
      input.setRawMode?.(false);
      input.pause();
      ctx.stderr.write("\n");
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish(value);
        if (char === "\u0003" || char === "\u0004") return finish(undefined);
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    input.resume();
    input.on("data", onData);
  });
}

/** All of standard input (for `--with-token`), trimmed: a trailing newline or CRLF is not part of a token. */
export async function readAllTrimmed(stdin: CommandContext["stdin"]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}
