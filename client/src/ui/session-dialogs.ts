// The two dialogs that start a session from the page: a fork of this one at its current minute (a new
// pair: as it was, and with one change) and a new session (scenario, compare or one policy, seed). Both
// go through the REST API and hand the new presenter token to the page that opens the new session.
import type { CreateSessionResponse, ForkRequest, ScenarioListing } from "../../../server/protocol.ts";
import type { Lever } from "../../../sim/index.ts";
import type { TwinStore } from "../store.ts";
import { LEVER_NAMES } from "./controls.ts";
import { byId, el } from "./dom.ts";

/** How the dialogs reach the server and the page. */
export interface DialogActions {
  request<T>(path: string, init: RequestInit & { token?: string | null }): Promise<T>;
  /** Open the new session as its presenter. */
  open(created: CreateSessionResponse): void;
  toast(text: string): void;
  /** The operator token this tab holds (from the #operator= link), if any: beyond loopback, starting a session needs it. */
  operatorToken(): string | null;
}

/** The changes a fork offers for one side: each lever flipped from where it stands, and the interventions. */
export function forkChanges(policy: Record<Lever, boolean>, factories: readonly { id: string; name: string }[]): { label: string; change: ForkRequest["change"] }[] {
  const levers = (Object.keys(LEVER_NAMES) as Lever[]).map((lever) => ({
    label: `switch ${LEVER_NAMES[lever].long.split(":")[0]} ${policy[lever] ? "off" : "on"} now`,
    change: { type: "lever", lever, on: !policy[lever] } as ForkRequest["change"],
  }));
  const factory = factories.map((f) => ({
    label: `${f.name} fails now (20% capacity for 72 h)`,
    change: { type: "inject", intervention: { type: "factory-disruption", site: f.id, capacityShare: 0.2, durationHours: 72 } } as ForkRequest["change"],
  }));
  return [
    ...levers,
    ...factory,
    { label: "demand surge ×3 for 6 h, now", change: { type: "inject", intervention: { type: "demand-surge", multiplier: 3, durationHours: 6 } } },
    { label: "express prices ×2 for 48 h, now", change: { type: "inject", intervention: { type: "express-price-shock", multiplier: 2, durationHours: 48 } } },
  ];
}

/** Ask what to fork, then POST /api/sessions/:id/fork with the presenter token. */
export function askFork(sessionId: string, token: string | null, store: TwinStore, actions: DialogActions): void {
  const dialog = byId<HTMLDialogElement>("fork-dialog");
  const simSelect = byId<HTMLSelectElement>("fork-sim");
  const changeSelect = byId<HTMLSelectElement>("fork-change");
  const factories = (store.network?.sites ?? []).filter((s) => s.type === "factory").map((s) => ({ id: s.id, name: s.name }));
  let options: ReturnType<typeof forkChanges> = [];
  const fill = () => {
    const arm = store.arms[Number(simSelect.value) || 0];
    if (!arm) return;
    options = forkChanges(arm.policy, factories);
    changeSelect.replaceChildren(...options.map((o, i) => el("option", { text: o.label, attrs: { value: String(i) } })));
  };
  simSelect.replaceChildren(...store.arms.map((a, i) => el("option", { text: a.label, attrs: { value: String(i) } })));
  byId("fork-sim-row").hidden = store.arms.length < 2;
  simSelect.onchange = fill;
  fill();
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue !== "ok") return;
      const chosen = options[Number(changeSelect.value)];
      if (!chosen) return;
      const body: ForkRequest = { sim: Number(simSelect.value) || 0, change: chosen.change };
      actions
        .request<CreateSessionResponse>(`/api/sessions/${encodeURIComponent(sessionId)}/fork`, { method: "POST", body: JSON.stringify(body), token })
        .then((created) => actions.open(created))
        .catch((error: unknown) => actions.toast(error instanceof Error ? error.message : String(error)));
    },
    { once: true },
  );
}

/** Ask for a scenario, sides, policy and seed, then POST /api/sessions. */
export function askNewSession(actions: DialogActions): void {
  const dialog = byId<HTMLDialogElement>("new-session-dialog");
  const scenario = byId<HTMLSelectElement>("new-scenario");
  const mode = byId<HTMLSelectElement>("new-mode");
  const policy = byId<HTMLSelectElement>("new-policy");
  const seed = byId<HTMLInputElement>("new-seed");
  const sync = () => (policy.disabled = mode.value === "compare");
  mode.onchange = sync;
  sync();
  actions
    .request<{ scenarios: ScenarioListing[] }>("/api/scenarios", {})
    .then(({ scenarios }) => {
      const valid = scenarios.filter((s) => s.valid);
      scenario.replaceChildren(...valid.map((s) => el("option", { text: `${s.title ?? s.name}${s.horizonDays ? ` (${s.horizonDays} days)` : ""}`, attrs: { value: s.name } })));
      const preferred = valid.find((s) => s.name === "618-promotion");
      if (preferred) scenario.value = preferred.name;
    })
    .catch((error: unknown) => actions.toast(error instanceof Error ? error.message : String(error)));
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue !== "ok" || !scenario.value) return;
      const body: Record<string, unknown> = { scenario: scenario.value };
      if (mode.value === "compare") body.compare = true;
      else body.policy = policy.value;
      if (seed.value.trim() !== "") body.seed = Number(seed.value);
      actions
        .request<CreateSessionResponse>("/api/sessions", { method: "POST", body: JSON.stringify(body), token: actions.operatorToken() })
        .then((created) => actions.open(created))
        .catch((error: unknown) => actions.toast(error instanceof Error ? error.message : String(error)));
    },
    { once: true },
  );
}
