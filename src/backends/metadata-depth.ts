/** Deeper metadata is left out of a memory: no memory needs it, and JSON.stringify cannot encode thousands of levels. */
export const MAX_METADATA_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep; walks without recursion. */
export function depthExceeds(value: unknown, max: number = MAX_METADATA_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
