// Presenter controls: play/pause, speed, a timeline to scrub (seek), steps, lever switches per sim,
// intervention buttons, and the keyboard (space, arrows). Viewers see the same controls disabled.
// Controls only send commands; what the session does comes back in frames like for everyone else.
import type { SessionStatus } from "../../../server/protocol.ts";
import type { Lever } from "../../../sim/index.ts";
import type { CommandInput } from "../connection.ts";
import { dayOf, duration } from "../sim-time.ts";
import { byId, el, setText } from "./dom.ts";

/** Speeds offered, sim minutes per wall second. */
export const SPEEDS = [15, 60, 180, 360, 720, 1440, 4320, 10_080] as const;

export const LEVER_NAMES: Record<Lever, { short: string; long: string }> = {
  dataPlatform: { short: "data platform", long: "L1 data platform: one view of demand, stock and capacity; pre-positioning" },
  tieredFulfilment: { short: "tiered fulfilment", long: "L2 tiered fulfilment: route each order to the cheapest feasible path (RDC, FDC, store)" },
  capacityLinkage: { short: "capacity linkage", long: "L3 promotion–capacity linkage: campaign review, saturation and safety lines" },
  unifiedService: { short: "unified service", long: "L4 unified service standards: one after-sales entry and SLA for every channel" },
};

export interface ControlActions {
  send(command: CommandInput): void;
  /** Ask for a presenter token. */
  present(): void;
  /** An intervention by name, built by the page (it knows the network). */
  intervene(kind: "surge" | "price-shock" | "disruption"): void;
}

export class Controls {
  private readonly play = byId<HTMLButtonElement>("play");
  private readonly stepBack = byId<HTMLButtonElement>("step-back");
  private readonly stepFwd = byId<HTMLButtonElement>("step-fwd");
  private readonly speed = byId<HTMLSelectElement>("speed");
  private readonly timeline = byId<HTMLInputElement>("timeline");
  private readonly timelineLabel = byId("timeline-label");
  private readonly presentButton = byId<HTMLButtonElement>("present");
  private readonly interventions = [...document.querySelectorAll<HTMLButtonElement>("[data-intervention]")];
  private scrubbing = false;
  /** The last Space key-down was taken as play/pause (its key-up must not also click a focused control). */
  private spaceTaken = false;
  private status: SessionStatus | null = null;
  canControl = false;

  constructor(private readonly actions: ControlActions) {
    for (const s of SPEEDS) this.speed.append(el("option", { text: `${duration(s)} / s`, attrs: { value: String(s) } }));
    this.play.addEventListener("click", () => this.togglePlay());
    this.stepFwd.addEventListener("click", () => this.step(60));
    this.stepBack.addEventListener("click", () => this.step(-60));
    this.speed.addEventListener("change", () => {
      actions.send({ type: "speed", simMinutesPerSecond: Number(this.speed.value) });
      this.speed.blur(); // a chosen speed hands the keyboard back to the shortcuts
    });
    this.timeline.addEventListener("input", () => {
      this.scrubbing = true;
      setText(this.timelineLabel, `seek to ${dayOf(Number(this.timeline.value), this.status?.horizon ?? 1)}`);
    });
    this.timeline.addEventListener("change", () => {
      this.scrubbing = false;
      actions.send({ type: "seek", t: Number(this.timeline.value) });
    });
    this.presentButton.addEventListener("click", () => actions.present());
    for (const b of this.interventions) b.addEventListener("click", () => actions.intervene(b.dataset.intervention as "surge" | "price-shock" | "disruption"));
    document.addEventListener("keydown", (e) => this.key(e));
    // Space on a focused button or checkbox would also "click" it on key-up; not when it was a shortcut.
    document.addEventListener("keyup", (e) => {
      if (e.key === " " && this.spaceTaken) e.preventDefault();
      if (e.key === " ") this.spaceTaken = false;
    });
  }

  update(status: SessionStatus | null, canControl: boolean, presenting: boolean): void {
    this.status = status;
    this.canControl = canControl;
    const busy = !status || status.seeking !== null;
    const off = !canControl || busy;
    this.play.disabled = off || (status?.finished ?? false);
    this.stepBack.disabled = off;
    this.stepFwd.disabled = off || (status?.finished ?? false);
    this.speed.disabled = !canControl || !status;
    this.timeline.disabled = off;
    // At the horizon there is no future left to change: interventions wait for a seek back.
    for (const b of this.interventions) b.disabled = off || (status?.finished ?? false);
    const title = canControl ? "" : "viewers follow the presenter; controls are the presenter's";
    for (const node of [this.play, this.stepBack, this.stepFwd, this.speed, this.timeline, ...this.interventions]) node.title = title || node.dataset.title || "";
    this.presentButton.hidden = presenting;
    if (!status) return;
    setText(this.play, status.playing ? "❚❚ Pause" : "▶ Play");
    this.play.dataset.playing = String(status.playing);
    if (document.activeElement !== this.speed) {
      const nearest = SPEEDS.reduce((a, b) => (Math.abs(b - status.speed) < Math.abs(a - status.speed) ? b : a));
      if (this.speed.value !== String(nearest)) this.speed.value = String(nearest);
    }
    this.timeline.max = String(status.horizon);
    this.timeline.step = "60";
    if (!this.scrubbing) {
      this.timeline.value = String(status.seeking ? status.seeking.to : status.t);
      setText(this.timelineLabel, status.seeking ? `seeking… ${(status.seeking.progress * 100).toFixed(0)}%` : dayOf(status.t, status.horizon));
    }
  }

  private togglePlay(): void {
    if (!this.status) return;
    this.actions.send({ type: this.status.playing ? "pause" : "play" });
  }

  /** Forward is a step (frames flow); backward is a seek (re-simulated). */
  private step(minutes: number): void {
    if (!this.status) return;
    if (minutes > 0) this.actions.send({ type: "step", minutes });
    else this.actions.send({ type: "seek", t: Math.max(0, this.status.t + minutes) });
  }

  private key(e: KeyboardEvent): void {
    // Shortcuts work wherever focus is, except where the keys type text (a token field, a select):
    // a lever checkbox or a button keeps focus after a click, and must not swallow Space or the arrows.
    if (typesText(e.target)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!this.canControl || !this.status || this.status.seeking) return;
    const big = e.shiftKey ? 1440 : 60;
    if (e.key === " ") {
      this.togglePlay();
      this.spaceTaken = true;
    }
    else if (e.key === "ArrowRight" && !this.status.finished) this.step(big);
    else if (e.key === "ArrowLeft") this.step(-big);
    else return;
    e.preventDefault();
  }
}

/** Whether keys typed at `target` are text (a text field, a select, an editable element), not shortcuts. */
function typesText(target: EventTarget | null): boolean {
  const node = target as HTMLElement | null;
  if (!node || typeof node.tagName !== "string") return false;
  if (node.isContentEditable || node.tagName === "SELECT" || node.tagName === "TEXTAREA") return true;
  if (node.tagName !== "INPUT") return false;
  return !["checkbox", "radio", "range", "button", "submit", "reset"].includes((node as HTMLInputElement).type);
}

/** Lever switches of one sim, in its pane header. */
export class LeverSwitches {
  private readonly boxes = new Map<Lever, HTMLInputElement>();
  readonly view: HTMLElement;

  constructor(sim: number, onSwitch: (sim: number, lever: Lever, on: boolean) => void) {
    this.view = el("div", { className: "levers" });
    for (const lever of Object.keys(LEVER_NAMES) as Lever[]) {
      const box = el("input", { attrs: { type: "checkbox", "data-lever": lever } });
      box.addEventListener("change", () => {
        onSwitch(sim, lever, box.checked);
        box.blur(); // give the keyboard back to the page's shortcuts
      });
      this.boxes.set(lever, box);
      this.view.append(el("label", { className: "lever", title: LEVER_NAMES[lever].long }, [box, el("span", { text: LEVER_NAMES[lever].short })]));
    }
  }

  update(policy: Record<Lever, boolean>, canControl: boolean): void {
    for (const [lever, box] of this.boxes) {
      if (box.checked !== policy[lever] && document.activeElement !== box) box.checked = policy[lever];
      box.disabled = !canControl;
    }
  }
}
