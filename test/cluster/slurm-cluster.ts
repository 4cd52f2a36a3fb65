// A one-node Slurm cluster in a temporary directory for the integration test: its own munge key and
// socket, a generated slurm.conf (no accounting, proctrack/linuxproc, task/none, SlurmUser root, free
// ports on 127.0.0.1), slurmctld and slurmd in the foreground. Every daemon it starts is stopped by PID.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, hostname } from "node:os";
import { join } from "node:path";

const BINARY_DIRS = [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];

/** The full path of a binary (daemons live in sbin, which a non-login PATH may lack), or undefined. */
function binary(name: string): string | undefined {
  return BINARY_DIRS.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** The binaries the cluster needs, and which of them this machine lacks. */
export function missingSlurmBinaries(): string[] {
  const wanted = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo"];
  return wanted.filter((name) => binary(name) === undefined);
}

function path(name: string): string {
  const found = binary(name);
  if (found === undefined) throw new Error(`${name} is not installed`);
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number, log: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not within ${timeoutMs / 1000} s\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A running cluster: the environment its clients need, and stop(). */
export interface SlurmCluster {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Run a Slurm client command (squeue, scancel, …) against this cluster; its stdout. */
  client(command: string, args: string[]): string;
  stop(): Promise<void>;
}

/** Start munged, slurmctld and slurmd under `dir`. */
export async function startSlurmCluster(dir: string): Promise<SlurmCluster> {
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const node = hostname();
  for (const sub of ["state", "spool", "log"]) mkdirSync(join(dir, sub), { recursive: true });
  const socket = join(dir, "munge.socket");
  const conf = join(dir, "slurm.conf");
  execFileSync(path("mungekey"), ["--create", "--keyfile", join(dir, "munge.key"), "--force"]);
  writeFileSync(
    conf,
    [
      "ClusterName=omnitwin-test",
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      "AuthType=auth/munge",
      `AuthInfo=socket=${socket}`,
      "CredType=cred/munge",
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/none",
      "MpiDefault=none",
      "SchedulerType=sched/builtin",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_CPU",
      `StateSaveLocation=${join(dir, "state")}`,
      `SlurmdSpoolDir=${join(dir, "spool")}`,
      `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
      "ReturnToService=2",
      "MaxArraySize=1001",
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN`,
      `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      "",
    ].join("\n"),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  let output = "";
  const start = (command: string, args: string[]) => {
    const child = spawn(path(command), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    daemons.push(child);
    return child;
  };
  const client = (command: string, args: string[]) => execFileSync(path(command), args, { env, encoding: "utf8" });
  const stop = async () => {
    // The newest first: slurmd, slurmctld, then munged, each by the PID this harness started.
    for (const child of [...daemons].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid!, "SIGTERM");
      const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    start("munged", ["--foreground", "--force", `--socket=${socket}`, `--key-file=${join(dir, "munge.key")}`, `--pid-file=${join(dir, "munged.pid")}`, `--seed-file=${join(dir, "munged.seed")}`, `--log-file=${join(dir, "log", "munged.log")}`]);
    await waitFor("munged's socket", () => existsSync(socket), 10_000, () => output);
    start("slurmctld", ["-D", "-f", conf]);
    start("slurmd", ["-D", "-f", conf, "-N", node]);
    await waitFor(
      "an idle node",
      () => {
        try {
          return client("sinfo", ["--noheader", "--format=%T"]).trim() === "idle";
        } catch {
          return false;
        }
      },
      30_000,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, env, client, stop };
}
