// Finding where a JSON text goes wrong, for text JSON.parse has already rejected: V8's own
// messages do not always give a position, and never say how to fix the mistake. The same scanner
// finds keys written twice in one object, which JSON.parse accepts silently (the last one wins).
// It builds no values.

/** The first syntax error in a JSON text: where (line and column, 1-based) and what to do about it. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

const MAX_DEPTH = 512;

class Found {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** A key written more than once in one object: its JSON path and where the repeat is (1-based). */
export interface DuplicateKey {
  path: Array<string | number>;
  line: number;
  column: number;
}

/** Every repeated key in a valid JSON text, in file order (at most `limit`). */
export function findDuplicateKeys(text: string, limit = 20): DuplicateKey[] {
  const found: Array<{ path: Array<string | number>; offset: number }> = [];
  try {
    scan(text, (path, offset) => found.length < limit && found.push({ path, offset }));
  } catch (error) {
    if (!(error instanceof Found)) throw error;
  }
  return found.map(({ path, offset }) => ({ path, ...lineAndColumn(text, offset) }));
}

/** Locate the first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Found)) throw error;
    return { ...lineAndColumn(text, error.offset), message: error.message };
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) [line, lineStart] = [line + 1, i + 1];
  }
  return { line, column: offset - lineStart + 1 };
}

function scan(text: string, onDuplicate?: (path: Array<string | number>, offset: number) => void): void {
  const n = text.length;
  let i = 0;
  // The path to the value being scanned, kept only when duplicates are looked for.
  const path: Array<string | number> = [];
  const fail = (offset: number, message: string): never => {
    throw new Found(offset, message);
  };
  const skipSpace = (): void => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const found = (): string => (i >= n ? "the end of the file" : JSON.stringify(text[i]).replace(/^"|"$/g, "'"));

  const value = (depth: number, what: string): void => {
    skipSpace();
    if (depth > MAX_DEPTH) fail(i, `the data is nested more than ${MAX_DEPTH} levels deep; a scenario needs only a few levels`);
    if (i >= n) fail(i, `the file ends where ${what} should be; the end of the file is cut off or a closing } or ] is missing`);
    const ch = text[i];
    if (ch === "{") return object(depth + 1);
    if (ch === "[") return array(depth + 1);
    if (ch === '"') return void string();
    if (ch === "-" || (ch >= "0" && ch <= "9")) return number();
    if (/[A-Za-z_$]/.test(ch)) return word();
    if (ch === "/") fail(i, "comments (// or /* */) are not allowed in JSON; remove the comment");
    if (ch === "'") fail(i, `text must be in double quotes ("…"), not single quotes ('…')`);
    if (ch === ",") fail(i, `found ',' where ${what} should be; remove the extra comma`);
    fail(i, `expected ${what} but found ${found()}`);
  };

  const object = (depth: number): void => {
    i++;
    skipSpace();
    if (text[i] === "}") return void i++;
    const seen = onDuplicate === undefined ? undefined : new Set<string>();
    for (;;) {
      skipSpace();
      if (i >= n) fail(i, "the file ends inside an object; a closing } is missing");
      if (text[i] !== '"') {
        const bare = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 80));
        if (bare) fail(i, `the property name ${bare[0]} needs double quotes: "${bare[0]}"`);
        if (text[i] === "'") fail(i, `property names must be in double quotes ("…"), not single quotes`);
        fail(i, `expected a property name in double quotes but found ${found()}`);
      }
      const keyAt = i;
      const key = string();
      skipSpace();
      if (text[i] !== ":") fail(i, `expected ':' after the property name "${key}" but found ${found()}`);
      i++;
      if (seen !== undefined) {
        // Compare keys as JSON reads them: "a" and "\u0061" are the same key.
        const name = key.includes("\\") ? (JSON.parse(`"${key}"`) as string) : key;
        if (seen.has(name)) onDuplicate?.([...path, name], keyAt);
        seen.add(name);
        path.push(name);
      }
      value(depth, `the value of "${key}"`);
      if (seen !== undefined) path.pop();
      skipSpace();
      if (text[i] === "}") return void i++;
      if (i >= n) fail(i, "the file ends inside an object; a closing } is missing");
      if (text[i] === '"') fail(i, `a comma is missing after the value of "${key}"; add ',' before the next property`);
      if (text[i] !== ",") fail(i, `expected ',' or '}' after the value of "${key}" but found ${found()}`);
      const comma = i++;
      skipSpace();
      if (text[i] === "}") fail(comma, "a comma after the last property is not allowed in JSON; remove this ','");
    }
  };

  const array = (depth: number): void => {
    i++;
    skipSpace();
    if (text[i] === "]") return void i++;
    for (let index = 0; ; index++) {
      if (onDuplicate !== undefined) path.push(index);
      value(depth, "a list entry");
      if (onDuplicate !== undefined) path.pop();
      skipSpace();
      if (text[i] === "]") return void i++;
      if (i >= n) fail(i, "the file ends inside a list; a closing ] is missing");
      if (text[i] !== ",") {
        const hint = text[i] === "}" ? "; a ']' is missing to close the list" : "; is a comma missing between two entries?";
        fail(i, `expected ',' or ']' after a list entry but found ${found()}${hint}`);
      }
      const comma = i++;
      skipSpace();
      if (text[i] === "]") fail(comma, "a comma after the last list entry is not allowed in JSON; remove this ','");
    }
  };

  const string = (): string => {
    const start = i++;
    for (;;) {
      if (i >= n) fail(start, 'this text never ends: its closing " is missing');
      const code = text.charCodeAt(i);
      if (code === 34) return text.slice(start + 1, i++);
      if (code === 92) {
        const escape = text[i + 1];
        if (escape === "u" && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else fail(i, "a backslash \\ inside text starts an escape such as \\n or \\\"; write \\\\ for a plain backslash (e.g. in Windows paths)");
      } else if (code < 32) {
        fail(i, code === 10 ? 'a line break inside text; close the text with " first, or write \\n' : "a control character inside text; write it as an escape such as \\t");
      } else i++;
    }
  };

  const number = (): void => {
    const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = i;
    const m = match.exec(text);
    const end = m ? i + m[0].length : i;
    if (!m || m[0] === "-" || /[\d.eE]/.test(text[end] ?? "")) {
      const token = /^[-+\w.]*/.exec(text.slice(i, i + 40))?.[0] ?? "";
      fail(i, `${token} is not a valid JSON number; write numbers like 12, -3.5 or 1e6 (no leading zeros, no trailing '.')`);
    }
    i = end;
  };

  const word = (): void => {
    const w = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 80))?.[0] ?? "";
    if (w === "true" || w === "false" || w === "null") return void (i += w.length);
    if (w === "NaN" || w === "Infinity") fail(i, `${w} is not allowed in JSON; write a number`);
    if (["true", "false", "null"].includes(w.toLowerCase()) || w === "None") fail(i, `write true, false or null in lower case, not ${w}`);
    fail(i, `${w} is not a JSON value; text needs double quotes: "${w}"`);
  };

  skipSpace();
  value(0, "a value");
  skipSpace();
  if (i < n) fail(i, "unexpected text after the end of the JSON; the file must hold exactly one { … } object");
}
