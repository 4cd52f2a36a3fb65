// Runs the CLI in process for tests: main() with argv and an io that collects what was printed.
import { main } from "../../server/cli/main.ts";

/** What one CLI invocation printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `omnitwin ...args` in process. */
export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "omnitwin", ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
