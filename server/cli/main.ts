// The `omnitwin` command line: builds the commander program, registers each command from its
// own module, and turns every outcome into an exit code. main() never calls process.exit and
// writes only to the io it is given, so tests run it in process.
import { Command, CommanderError } from "commander";
import { OMNITWIN_VERSION } from "../../sim/index.ts";
import { registerAblation } from "./ablation.ts";
import { registerCalibrate } from "./calibrate.ts";
import { registerCompare } from "./compare.ts";
import { EXIT, errorText, processIo, type CliIo, type ExitCode } from "./io.ts";
import { registerMerge } from "./merge.ts";
import { registerPlanner } from "./planner.ts";
import { registerRun } from "./run.ts";
import { registerServe } from "./serve.ts";
import { registerSweep } from "./sweep.ts";
import { registerValidate } from "./validate.ts";

const HELP_WIDTH = 100;

/**
 * Run the CLI on `argv` (as in process.argv: node, script, then the arguments) and return the
 * exit code: 0 success, 1 failure while working, 2 bad input or usage.
 */
export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: "node" });
    return exitCode;
  } catch (error) {
    // --help and --version end with a CommanderError whose exitCode is 0; every other one is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    io.stderr.write(`omnitwin: unexpected error: ${errorText(error)}\n`);
    if (process.env.OMNITWIN_DEBUG) io.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
    else io.stderr.write("(this is a bug in omnitwin; set OMNITWIN_DEBUG=1 to see where it happened)\n");
    return EXIT.failed;
  }
}

/** The program with every command registered; exported for tests that inspect the commands. */
export function buildProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command("omnitwin")
    .description("An omnichannel supply-chain digital twin: check and run scenarios, compare policies, serve the live map.")
    .version(OMNITWIN_VERSION, "-V, --version", "print the omnitwin version")
    .helpOption("-h, --help", "show help for a command")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Fixed width and no colour: help text is the same wherever it is printed.
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 the command failed while working, 2 bad input or usage.
Run "omnitwin help <command>" for a command's options.`,
    );
  // Commands copy the settings above (exitOverride, output) when they are created, so register them last.
  const context = { io, setExitCode };
  registerValidate(program, context);
  registerPlanner(program, context);
  registerCalibrate(program, context);
  registerRun(program, context);
  registerServe(program, context);
  registerCompare(program, context);
  registerAblation(program, context);
  registerSweep(program, context);
  registerMerge(program, context);
  return program;
}
