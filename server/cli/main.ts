// The `omnitwin` command line: builds the commander program, registers each command from its
// own module, and turns every outcome into an exit code. main() never calls process.exit and
// writes only to the io it is given, so tests run it in process.
import { Command, CommanderError } from "commander";
import { OMNITWIN_VERSION } from "../../sim/version.ts";
import { EXIT, errorText, processIo, type BatchPlanned, type CliIo, type CommandContext, type ExitCode } from "./io.ts";

const HELP_WIDTH = 100;

type Register = (program: Command, context: CommandContext) => void;

/**
 * Each command's module, in the order the help lists them. A command's module is loaded only when that
 * command runs (or for the overall help): loading all of them is most of the start-up of a short command.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import("./validate.ts")).registerValidate,
  template: async () => (await import("./planner.ts")).registerTemplate,
  import: async () => (await import("./planner.ts")).registerImport,
  calibrate: async () => (await import("./calibrate.ts")).registerCalibrate,
  run: async () => (await import("./run.ts")).registerRun,
  serve: async () => (await import("./serve.ts")).registerServe,
  compare: async () => (await import("./compare.ts")).registerCompare,
  ablation: async () => (await import("./ablation.ts")).registerAblation,
  sweep: async () => (await import("./sweep.ts")).registerSweep,
  merge: async () => (await import("./merge.ts")).registerMerge,
  robustness: async () => (await import("./robustness.ts")).registerRobustness,
  cluster: async () => (await import("./cluster.ts")).registerCluster,
};

/** The commands `argv` needs: the one it names, none for a bare --version, else all (help, suggestions). */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv[2];
  if (argv.length === 3 && (first === "--version" || first === "-V")) return [];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

/**
 * Run the CLI on `argv` (as in process.argv: node, script, then the arguments) and return the
 * exit code: 0 success, 1 failure while working, 2 bad input or usage.
 */
export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo(), planOnly?: BatchPlanned): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  try {
    const program = await buildProgram(io, (code) => (exitCode = code), planOnly, commandsFor(argv));
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

/**
 * The program with the named commands registered (default: all). With `planOnly`, the batch commands
 * hand over the batch they would run instead of running it.
 */
export async function buildProgram(
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
  planOnly?: BatchPlanned,
  commands: readonly string[] = Object.keys(COMMANDS),
): Promise<Command> {
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
  const context = { io, setExitCode, ...(planOnly ? { planOnly } : {}) };
  const registers = await Promise.all(commands.map((name) => COMMANDS[name]()));
  for (const register of registers) register(program, context);
  return program;
}
