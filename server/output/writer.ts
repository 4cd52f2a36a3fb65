// Anything text can be written to: a Node stream, or a test's buffer. The CLI's io (server/cli/io.ts) and
// the batch runner's progress lines both write to one.

/** Anything text can be written to (a Node stream, or a test's buffer). */
export interface Writer {
  write(text: string): unknown;
}
