import type { Edit, Node } from "jsonc-parser";

/**
 * Minimal text edits to one property of a parsed JSON(C) object, in the file's own style. Written
 * here rather than with jsonc-parser's modify(): its formatter rewrites the neighbouring property's
 * line (`"x": {"a": 1}` becomes three lines) and its removal swallows the comment before the next
 * property. These edits touch only the property itself.
 */
export interface JsonStyle {
  /** One level of indentation: "  ", "    " or "\t". */
  unit: string;
  eol: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

function isInline(text: string, object: Node): boolean {
  return lineOf(text, object.offset) === lineOf(text, object.offset + object.length);
}

function render(value: unknown, indent: string, style: JsonStyle): string {
  return JSON.stringify(value, null, style.unit).split("\n").join(`${style.eol}${indent}`);
}

const end = (node: Node) => node.offset + node.length;

/** After a property: an optional comma, then where the rest of its line ends if that rest is only a comment. */
function afterProperty(text: string, offset: number): { comma: number | undefined; lineEnd: number | undefined } {
  const match = /^[ \t]*(,)?[ \t]*(\/\/[^\r\n]*|\/\*[^\r\n]*?\*\/[ \t]*)?(?=\r?\n)/.exec(text.slice(offset));
  if (!match) {
    const comma = /^[ \t]*,/.exec(text.slice(offset));
    return { comma: comma ? offset + comma[0].length - 1 : undefined, lineEnd: undefined };
  }
  return { comma: match[1] !== undefined ? offset + match[0].indexOf(",") : undefined, lineEnd: offset + match[0].length };
}

/** Sets `key` in `object` to `value`: replaces the value in place, or adds the property last. */
export function setProperty(text: string, object: Node, key: string, value: unknown, style: JsonStyle): Edit[] {
  const properties = object.children ?? [];
  const existing = properties.find((property) => property.children?.[0]?.value === key);
  const inline = isInline(text, object);
  if (existing?.children?.[1]) {
    const valueNode = existing.children[1];
    const content = inline ? JSON.stringify(value) : render(value, lineIndent(text, existing.offset), style);
    return [{ offset: valueNode.offset, length: valueNode.length, content }];
  }
  const name = JSON.stringify(key);
  const last = properties.at(-1);
  if (last === undefined) {
    const close = end(object) - 1;
    const base = lineIndent(text, object.offset);
    if (inline) {
      const inner = `${base}${style.unit}`;
      return [{ offset: object.offset + 1, length: close - object.offset - 1, content: `${style.eol}${inner}${name}: ${render(value, inner, style)}${style.eol}${base}` }];
    }
    const inner = `${lineIndent(text, close)}${style.unit}`;
    return [{ offset: object.offset + 1, length: 0, content: `${style.eol}${inner}${name}: ${render(value, inner, style)}` }];
  }
  if (inline) return [{ offset: end(last), length: 0, content: `, ${name}: ${JSON.stringify(value)}` }];
  const indent = lineIndent(text, last.offset);
  const after = afterProperty(text, end(last));
  const trailingComma = after.comma !== undefined;
  const property = `${style.eol}${indent}${name}: ${render(value, indent, style)}${trailingComma ? "," : ""}`;
  const insertAt = after.lineEnd ?? (after.comma !== undefined ? after.comma + 1 : end(last));
  if (trailingComma) return [{ offset: insertAt, length: 0, content: property }];
  if (insertAt === end(last)) return [{ offset: insertAt, length: 0, content: `,${property}` }];
  return [
    { offset: end(last), length: 0, content: "," },
    { offset: insertAt, length: 0, content: property },
  ];
}

/** Removes `key` from `object` with its comma (and its own lines when it has them). No edits when absent. */
export function removeProperty(text: string, object: Node, key: string): Edit[] {
  const properties = object.children ?? [];
  const index = properties.findIndex((property) => property.children?.[0]?.value === key);
  if (index < 0) return [];
  const property = properties[index]!;
  const previous = properties[index - 1];
  const next = properties[index + 1];
  const close = end(object) - 1;
  const only = previous === undefined && next === undefined;
  const after = afterProperty(text, end(property));

  if (only) {
    const inner = text.slice(object.offset + 1, close);
    const rest = inner.slice(0, property.offset - object.offset - 1) + inner.slice(end(property) - object.offset - 1);
    if (/^[\s,]*$/.test(rest)) return [{ offset: object.offset + 1, length: close - object.offset - 1, content: "" }];
  }
  const start = lineStart(text, property.offset);
  const ownLines = !isInline(text, object) && /^[ \t]*$/.test(text.slice(start, property.offset)) && after.lineEnd !== undefined;
  if (ownLines) {
    const lineEnd = after.lineEnd!;
    const stop = text.startsWith("\r\n", lineEnd) ? lineEnd + 2 : lineEnd + 1;
    const edits: Edit[] = [{ offset: start, length: stop - start, content: "" }];
    // The last property gone, the one before must not keep a comma strict JSON refuses, unless the
    // file ends its objects with commas anyway (JSONC style, as the removed one did).
    if (next === undefined && previous !== undefined && after.comma === undefined) {
      const comma = afterProperty(text, end(previous)).comma;
      if (comma !== undefined) edits.push({ offset: comma, length: 1, content: "" });
    }
    return edits;
  }
  if (previous !== undefined) return [{ offset: end(previous), length: end(property) - end(previous), content: "" }];
  if (next !== undefined) return [{ offset: property.offset, length: next.offset - property.offset, content: "" }];
  return [{ offset: property.offset, length: (after.comma !== undefined ? after.comma + 1 : end(property)) - property.offset, content: "" }];
}
