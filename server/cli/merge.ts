// `omnitwin merge DIR... --out DIR`: join the run directories of a sharded batch (--shard k/N) into
// exactly what one unsharded run writes; a missing, duplicated, foreign or unfinished shard is an
// error that names it.
import type { Command } from "commander";
import { guarded, reportResults } from "./batch-options.ts";
import { mergeShards } from "../experiments/merge.ts";
import type { CommandContext } from "./io.ts";

interface MergeOptions {
  out: string;
  json?: boolean;
}

/** Add the `merge` command to the program. */
export function registerMerge(program: Command, context: CommandContext): void {
  program
    .command("merge")
    .description("join the shards of a batch (run with --shard k/N) into one result")
    .argument("<dirs...>", "the shards' --out directories, all N of them")
    .requiredOption("--out <dir>", "where to write the merged batch (as an unsharded run would)")
    .option("--json", "print the command's JSON instead of the table")
    .addHelpText(
      "after",
      `
Every shard must come from the same command and arguments with the same N, and be finished.

Example:
  omnitwin compare scenarios/618-promotion.json --reps 30 --shard 1/3 --out shard1   (likewise 2/3, 3/3)
  omnitwin merge shard1 shard2 shard3 --out results/618`,
    )
    .action(async (dirs: string[], options: MergeOptions) =>
      context.setExitCode(await guarded(context, () => reportResults(mergeShards(dirs, options.out), options, context))),
    );
}
