// omnitwin cluster k8s: the manifest validates against the Kubernetes schema (kubernetes-models), and the
// plan it carries in its ConfigMap, run as the pods would run it (JOB_COMPLETION_INDEX 0 … N−1, then the
// merge Job's command), gives exactly what one unsharded run writes. No live cluster here.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, PersistentVolumeClaim } from "kubernetes-models/v1";
import { afterAll, describe, expect, it } from "vitest";
import { cleanScratch, cli, scratch, snapshot, TINY } from "../experiments/support.ts";

afterAll(cleanScratch);

async function manifest(mount: string, ...extra: string[]) {
  const r = await cli("cluster", "k8s", "--shards", "3", "--cpus-per-task", "2", "--image", "registry.example/omnitwin:0.1.0", "--mount-path", mount, "--working-dir", process.cwd(), ...extra, "compare", TINY, "--reps", "3", "--out", join(mount, "tiny"));
  expect(r.stderr).toContain("6 replications in 3 shard(s) of up to 2");
  expect(r.code).toBe(0);
  const docs = r.stdout.replace(/^#.*\n/gm, "").split("\n---\n").map((text) => JSON.parse(text) as Record<string, any>);
  return docs;
}

describe("omnitwin cluster k8s", () => {
  it("writes a claim, the plan, an Indexed Job of N pods and a merge Job, each valid by the Kubernetes schema", async () => {
    const docs = await manifest("/results");
    expect(docs.map((d) => d.kind)).toEqual(["PersistentVolumeClaim", "ConfigMap", "Job", "Job"]);
    new PersistentVolumeClaim(docs[0] as never).validate();
    new ConfigMap(docs[1] as never).validate();
    const [shards, merge] = [new Job(docs[2] as never), new Job(docs[3] as never)];
    shards.validate();
    merge.validate();
    expect(shards.spec).toMatchObject({ completionMode: "Indexed", completions: 3, parallelism: 3, backoffLimitPerIndex: 2 });
    expect(shards.spec!.template.spec!.containers[0]).toMatchObject({ command: ["omnitwin"], args: ["cluster", "task", "/etc/omnitwin/plan.json"], resources: { requests: { cpu: "2" } } });
    expect(merge.spec!.template.spec!.containers[0].args).toEqual(["cluster", "merge", "/etc/omnitwin/plan.json"]);
    // The validator is not a rubber stamp: the same Job with completions as a string is refused.
    expect(() => new Job({ ...docs[2], spec: { ...docs[2].spec, completions: "3" } } as never).validate()).toThrow(/completions must be integer/);
  });

  it("refuses an --out that is not on the shared volume", async () => {
    const r = await cli("cluster", "k8s", "--shards", "2", "compare", TINY, "--reps", "2", "--out", "/elsewhere/tiny");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not on the shared volume");
  });

  it("the pods' commands, run with JOB_COMPLETION_INDEX 0…2, then merge: byte-identical to one unsharded run", async () => {
    const mount = scratch("k8s");
    const docs = await manifest(mount);
    const planFile = join(mount, "etc", "plan.json");
    mkdirSync(join(mount, "etc"));
    writeFileSync(planFile, docs[1].data["plan.json"]);

    const early = await cli("cluster", "merge", planFile);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("3 of 3 shards did not finish");
    const previous = process.env.JOB_COMPLETION_INDEX;
    try {
      for (const index of ["0", "1", "2"]) {
        process.env.JOB_COMPLETION_INDEX = index;
        expect((await cli("cluster", "task", planFile)).code).toBe(0);
      }
      // A pod that runs again (a retry, a re-applied Job) finds its run files and runs nothing.
      process.env.JOB_COMPLETION_INDEX = "1";
      const again = await cli("cluster", "task", planFile);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain("shard 2/3: 2 replications done (0 run now)");
    } finally {
      if (previous === undefined) delete process.env.JOB_COMPLETION_INDEX;
      else process.env.JOB_COMPLETION_INDEX = previous;
    }
    expect((await cli("cluster", "merge", planFile)).code).toBe(0);
    const one = join(scratch("k8s-one"), "tiny");
    expect((await cli("compare", TINY, "--reps", "3", "--workers", "0", "--out", one)).code).toBe(0);
    expect(snapshot(join(mount, "tiny"))).toEqual(snapshot(one));
  });
});
