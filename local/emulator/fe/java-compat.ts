/**
 * Small pieces of Java behaviour StarRocks output depends on: HashMap iteration order (property-error key lists,
 * org.json object layout) and org.json's `JSONObject.toString(indentFactor)`.
 */

/** Java's String.hashCode (UTF-16 code units, 32-bit overflow). */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let index = 0; index < value.length; index++)
    hash = (Math.imul(31, hash) + value.charCodeAt(index)) | 0;
  return hash;
}

/** The order in which a java.util.HashMap built by inserting `keys` in order iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  return unique
    .map((key, index) => {
      const h = javaStringHash(key);
      return { key, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

/** A JSON value as org.json holds it; object key order is the HashMap's. */
export type JsonValue = string | number | boolean | null | JsonObject;
/** An insertion-ordered object that renders in Java HashMap order. */
export type JsonObject = { readonly entries: readonly (readonly [string, JsonValue])[] };

/** Builds a {@link JsonObject} from key/value pairs in insertion order (later duplicates win). */
export function jsonObject(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  return { entries };
}

function quote(value: string): string {
  let out = '"';
  let previous = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (char === '/') out += previous === '<' ? '\\/' : '/';
    else if (char === '\b') out += '\\b';
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\f') out += '\\f';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x80 && code < 0xa0) || (code >= 0x2000 && code < 0x2100)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += char;
    previous = char;
  }
  return `${out}"`;
}

function write(value: JsonValue, indentFactor: number, indent: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object') return String(value);
  const map = new Map<string, JsonValue>();
  for (const [key, entry] of value.entries) map.set(key, entry);
  const keys = javaHashMapOrder([...map.keys()]);
  if (keys.length === 0) return '{}';
  const pair = (key: string, at: number) =>
    `${quote(key)}:${indentFactor > 0 ? ' ' : ''}${write(map.get(key) as JsonValue, indentFactor, at)}`;
  if (keys.length === 1) return `{${pair(keys[0] as string, indent)}}`;
  const inner = indent + indentFactor;
  const newline = indentFactor > 0 ? '\n' : '';
  const body = keys.map((key) => `${' '.repeat(inner)}${pair(key, inner)}`).join(`,${newline}`);
  return `{${newline}${body}${newline}${' '.repeat(indent)}}`;
}

/** org.json `JSONObject.toString(indentFactor)`. */
export function orgJsonToString(value: JsonObject, indentFactor: number): string {
  return write(value, indentFactor, 0);
}
