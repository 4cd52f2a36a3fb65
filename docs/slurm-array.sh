#!/bin/bash
# omnitwin on a Slurm cluster: one batch split into N shards, one array task per shard, then one
# merge. Every array task runs the SAME command with its own --shard k/N and its own --out directory;
# a task that is killed or times out can simply be resubmitted (it resumes from its run files).
#
#   mkdir -p results/618-coordination                # Slurm opens the log files before the script runs
#   sbatch docs/slurm-array.sh                       # submits the 8 shards; prints "Submitted batch job 123"
#   sbatch --dependency=afterok:123 --wrap \
#     "cd $PWD && npx omnitwin merge results/618-coordination/shard-* --out results/618-coordination/merged"
#
# merge refuses to run if a shard is missing, duplicated, from other arguments, or unfinished, and says
# which; the merged directory is byte-identical to what one unsharded run would have written.
#
# Needs: Node 20+ and this repository with `npm ci` done on a shared file system (or in the image).
#SBATCH --job-name=omnitwin-618
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --mem=6G
#SBATCH --time=02:00:00
#SBATCH --output=results/618-coordination/slurm-%A_%a.log
set -euo pipefail

SHARDS=8                                  # keep equal to the --array range above
OUT=results/618-coordination
mkdir -p "$OUT"

# Progress goes to the log as plain lines (stderr is not a terminal here); results go to the shard directory.
npx omnitwin ablation scenarios/618-promotion.json \
  --reps 30 --seed 1 \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --out "$OUT/shard-${SLURM_ARRAY_TASK_ID}"
