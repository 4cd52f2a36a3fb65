// Writing a workbook (--xlsx FILE): the bytes go to a temporary name beside the target and are renamed
// into place, like every other result file (output.ts), so a reader never opens half a workbook.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InvalidArgumentError } from "commander";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";

/** The --xlsx option's help. */
export const XLSX_OPTION_HELP = "also write the results as one Excel workbook to this file (.xlsx), with units in the headers";

/** Parse --xlsx: a file name ending in .xlsx. */
export function xlsxPath(text: string): string {
  if (!/\.xlsx$/i.test(text.trim())) throw new InvalidArgumentError(`a workbook file name ends in .xlsx, e.g. results.xlsx (got ${JSON.stringify(text)}).`);
  return text.trim();
}

/** Write `bytes` to `path` atomically (directory created if needed). */
export function writeBytesAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Build the workbook and write it to `path`; say so on stderr. Exit 1 with the reason if it cannot be written. */
export async function writeWorkbookFile(path: string, build: () => Promise<Uint8Array>, { io }: CommandContext): Promise<ExitCode> {
  try {
    writeBytesAtomically(path, await build());
    io.stderr.write(`wrote ${path}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`error: cannot write the workbook ${path}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
}
