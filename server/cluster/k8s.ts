// Kubernetes: the plan as a ConfigMap, an Indexed Job whose pod i runs shard i + 1 (JOB_COMPLETION_INDEX)
// into a shared ReadWriteMany volume, and a merge Job that merges or names the unfinished shards. The
// objects are typed with kubernetes-models' interfaces (types only, erased when compiled), so a misspelt
// field fails the type check; the test validates them against the Kubernetes schema. Never run on a live cluster here.
import type { IPersistentVolumeClaim, IConfigMap, IContainer, IVolume, IVolumeMount } from "kubernetes-models/v1";
import type { IJob } from "kubernetes-models/batch/v1";
import { PLAN_FILE, type ClusterPlan } from "./plan.ts";

/** What the manifest needs beyond the plan. */
export interface K8sOptions {
  /** Prefix of every object's name (lower case, digits, '-'). */
  name: string;
  /** An image with omnitwin installed (`omnitwin` on the PATH) and the scenario files under `workingDir`. */
  image: string;
  workingDir: string;
  /** The ReadWriteMany claim the shards write to, mounted at `mountPath` (the batch's --out must be under it). */
  claim: string;
  mountPath: string;
  storage: string;
  memory: string;
  /** Pods running at once. */
  parallelism: number;
  /** Retries of one shard before it counts as failed (it resumes from its run files each time). */
  retriesPerShard: number;
}

const PLAN_MOUNT = "/etc/omnitwin";

function volumes(options: K8sOptions): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  return {
    volumes: [
      { name: "results", persistentVolumeClaim: { claimName: options.claim } },
      { name: "plan", configMap: { name: `${options.name}-plan` } },
    ],
    mounts: [
      { name: "results", mountPath: options.mountPath },
      { name: "plan", mountPath: PLAN_MOUNT, readOnly: true },
    ],
  };
}

function container(name: string, args: string[], cpus: number, options: K8sOptions, mounts: IVolumeMount[]): IContainer {
  return {
    name,
    image: options.image,
    workingDir: options.workingDir,
    command: ["omnitwin"],
    args,
    resources: { requests: { cpu: String(cpus), memory: options.memory }, limits: { memory: options.memory } },
    volumeMounts: mounts,
  };
}

/** The objects, in the order to apply them: claim, plan, shards Job, merge Job. */
export function k8sObjects(plan: ClusterPlan, options: K8sOptions): [IPersistentVolumeClaim, IConfigMap, IJob, IJob] {
  const { volumes: vols, mounts } = volumes(options);
  const planPath = `${PLAN_MOUNT}/${PLAN_FILE}`;
  const labels = { app: "omnitwin", batch: options.name };
  return [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: options.claim, labels },
      spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: options.storage } } },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `${options.name}-plan`, labels },
      data: { [PLAN_FILE]: `${JSON.stringify(plan, null, 2)}\n` },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `${options.name}-shards`, labels: { ...labels, step: "shards" } },
      spec: {
        completionMode: "Indexed",
        completions: plan.shards,
        parallelism: Math.min(options.parallelism, plan.shards),
        // Per shard, not per Job: one failing shard does not stop the others (Kubernetes 1.29+).
        backoffLimitPerIndex: options.retriesPerShard,
        template: {
          metadata: { labels: { ...labels, step: "shards" } },
          spec: {
            restartPolicy: "Never",
            containers: [container("shard", ["cluster", "task", planPath], plan.cpusPerTask, options, mounts)],
            volumes: vols,
          },
        },
      },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `${options.name}-merge`, labels: { ...labels, step: "merge" } },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { ...labels, step: "merge" } },
          spec: {
            restartPolicy: "Never",
            containers: [container("merge", ["cluster", "merge", planPath], 1, options, mounts)],
            volumes: vols,
          },
        },
      },
    },
  ];
}

/** The manifest: each object as JSON (which is YAML), separated by '---', with how to use it on top. */
export function k8sManifest(plan: ClusterPlan, options: K8sOptions): string {
  const objects = k8sObjects(plan, options);
  const head = [
    `# omnitwin ${plan.command} ${plan.args.join(" ")}: ${plan.runs} replications in ${plan.shards} shards (written by omnitwin cluster k8s).`,
    "# Not tested on a live cluster: validated against the Kubernetes schema only.",
    `#   kubectl apply -f THIS -l step!=merge                       # the claim, the plan, the ${plan.shards}-shard Indexed Job`,
    `#   kubectl wait --for=condition=complete --timeout=24h job/${options.name}-shards   # or condition=failed`,
    "#   kubectl apply -f THIS -l step=merge                        # merges, or names the shards that did not finish",
    `# A failed shard: kubectl delete job ${options.name}-shards ${options.name}-merge, then apply again; finished shards`,
    "# find every run file already there and end at once, the others resume.",
  ];
  return `${head.join("\n")}\n${objects.map((o) => JSON.stringify(o, null, 2)).join("\n---\n")}\n`;
}
