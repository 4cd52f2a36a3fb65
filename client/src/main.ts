// The page's entry: find the session to open (the default compare session unless the URL names
// one), join over socket.io as presenter or viewer (the snapshot carries the whole network), and
// keep the header, controls, banner and error toasts saying what is going on.
import "./style.css";
import type { CreateSessionResponse, ErrorPayload, RestError, SessionInfo } from "../../server/protocol.ts";
import type { Lever } from "../../sim/index.ts";
import { SessionView } from "./app.ts";
import { Link, type CommandInput, type LinkState } from "./connection.ts";
import { publishStats } from "./debug.ts";
import { cssColor } from "./portrayal.ts";
import { chooseSession, createSessionRequest, OPERATOR_KEY, readOperatorToken, readPageParams, tokenKey, viewerUrl } from "./session-choice.ts";
import { dayOf, localTimeAt } from "./sim-time.ts";
import { ARM_COLORS } from "./ui/charts.ts";
import { Controls, LeverSwitches } from "./ui/controls.ts";
import { byId, el, setText } from "./ui/dom.ts";
import { askFork, askNewSession, type DialogActions } from "./ui/session-dialogs.ts";
import { Debrief, HeldBar, renderTimelineMarks } from "./ui/story.ts";

const DEFAULT_SCENARIO = "618-promotion";
const stats = publishStats();

function banner(state: string, text: string, action?: HTMLElement): void {
  stats.state = state;
  const node = byId("banner");
  node.dataset.state = state;
  node.hidden = state === "live";
  node.replaceChildren(el("p", { text }), ...(action ? [action] : []));
}

function toast(text: string, tone: "error" | "info" = "error"): void {
  if (tone === "error") stats.errors.push(text);
  const node = el("div", { className: `toast toast-${tone}`, text, attrs: { role: tone === "error" ? "alert" : "status" } });
  byId("toasts").append(node);
  setTimeout(() => node.remove(), tone === "error" ? 9000 : 4000);
}

function errorText(e: ErrorPayload): string {
  const problems = e.problems?.length ? ` — ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}` : "";
  return `${e.message}${problems} (${e.code})`;
}

async function getJson<T>(path: string, init?: RequestInit & { token?: string | null }): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}) };
  if (init?.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(path, { ...init, headers });
  const body = (await res.json().catch(() => null)) as T | RestError | null;
  if (!res.ok) throw new Error(body && typeof body === "object" && "error" in body ? errorText(body.error) : `${path}: HTTP ${res.status}`);
  return body as T;
}

/** The dialogs' way to the server and to the session they create (opened here as its presenter). */
const dialogActions: DialogActions = {
  request: (path, init) => getJson(path, init),
  open(created) {
    sessionStorage.setItem(tokenKey(created.session.id), created.presenterToken);
    location.assign(viewerUrl(location.origin, location.pathname, created.session.id));
  },
  toast: (text) => toast(text),
  operatorToken: () => sessionStorage.getItem(OPERATOR_KEY),
};
byId("new-session").addEventListener("click", () => askNewSession(dialogActions));

/**
 * No session to open: offer to start the default compare (its token comes back to this page). Beyond
 * loopback the server wants the operator token: from the `#operator=` link `serve` printed, or typed
 * into the field that appears when the server asks for it.
 */
function offerNewSession(): void {
  const button = el("button", { text: "Start the 618 compare (siloed vs coordinated)", attrs: { type: "button" } });
  const input = el("input", { attrs: { type: "password", id: "operator-input", autocomplete: "off", spellcheck: "false", placeholder: "operator token" } }) as HTMLInputElement;
  const field = el("label", { className: "operator-field", text: "Operator token (printed when the server started) " }, [input]);
  field.hidden = true;
  button.addEventListener("click", async () => {
    button.disabled = true;
    const typed = input.value.trim();
    if (typed) sessionStorage.setItem(OPERATOR_KEY, typed);
    try {
      const res = await fetch("/api/sessions", createSessionRequest({ scenario: DEFAULT_SCENARIO, compare: true }, sessionStorage.getItem(OPERATOR_KEY)));
      const body = (await res.json().catch(() => null)) as CreateSessionResponse | RestError | null;
      if (res.status === 401 || res.status === 403) {
        sessionStorage.removeItem(OPERATOR_KEY);
        field.hidden = false;
        input.focus();
        throw new Error(res.status === 401 ? "this server needs the operator token to start a session" : "that is not the operator token");
      }
      if (!res.ok || !body || "error" in body) throw new Error(body && "error" in body ? errorText(body.error) : `HTTP ${res.status}`);
      sessionStorage.setItem(tokenKey(body.session.id), body.presenterToken);
      location.assign(viewerUrl(location.origin, location.pathname, body.session.id));
    } catch (error) {
      button.disabled = false;
      toast(error instanceof Error ? error.message : String(error));
    }
  });
  const action = el("div", { className: "start-session" }, [field, button]);
  banner("empty", "No session is running on this server.", action);
}

async function start(): Promise<void> {
  banner("loading", "Loading the sessions…");
  const params = readPageParams(location.search, location.hash);
  const operator = readOperatorToken(location.hash);
  if (operator) sessionStorage.setItem(OPERATOR_KEY, operator);
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  const { sessions } = await getJson<{ sessions: SessionInfo[] }>("/api/sessions");
  const chosen = chooseSession(sessions, params.sessionId);
  if (!chosen) {
    if (params.sessionId) {
      const home = el("a", { text: "Open the default session", attrs: { href: location.pathname } });
      return banner("ended", `There is no session ${params.sessionId} on this server (it may have ended).`, home);
    }
    return offerNewSession();
  }
  const info = chosen;
  if (params.token) sessionStorage.setItem(tokenKey(info.id), params.token);
  const token = params.token ?? sessionStorage.getItem(tokenKey(info.id));
  stats.sessionId = info.id;
  const showTitle = (title: string) => {
    setText(byId("scenario-name"), title);
    document.title = `${title} · omnitwin`;
  };
  showTitle(info.scenario.name ?? info.scenario.id);

  const view = new SessionView(stats);
  let role: "presenter" | "viewer" | null = null;
  let linkState: LinkState = "connecting";
  let autoplayed = false;
  const levers: LeverSwitches[] = [];

  const send = (command: CommandInput) => link.send(command);
  const canControl = () => role === "presenter" && linkState === "live";
  const controls = new Controls({
    send,
    present: () => askForToken(),
    intervene: (kind) => {
      const layout = view.layout;
      const picked = view.map?.selected ?? null;
      if (kind === "surge") {
        const zone = picked?.kind === "zone" ? layout?.zones[picked.index] : undefined;
        send({ type: "inject", intervention: { type: "demand-surge", multiplier: 3, durationHours: 6, ...(zone ? { zones: [zone.id] } : {}) } });
      } else if (kind === "price-shock") send({ type: "inject", intervention: { type: "express-price-shock", multiplier: 2, durationHours: 48 } });
      else {
        const factories = layout?.sites.filter((s) => s.type === "factory") ?? [];
        const site = picked?.kind === "site" && layout?.sites[picked.index].type === "factory" ? layout.sites[picked.index] : factories[0];
        if (!site) return toast("this scenario has no factory to disrupt");
        send({ type: "inject", intervention: { type: "factory-disruption", site: site.id, capacityShare: 0.2, durationHours: 72 } });
      }
    },
  });
  const when = (t: number) => {
    const local = view.store.ready ? localTimeAt(view.store.localTime, view.store.t, t) : "";
    return `day ${Math.floor(t / 1440) + 1}${local ? `, ${local.slice(5)}` : ""}`;
  };
  const heldBar = new HeldBar((keep) => send({ type: "held", keep }));
  const debrief = new Debrief();
  const debriefInput = () => ({ store: view.store, series: view.series, sessionId: info.id, title: view.store.network?.title ?? info.scenario.id, when });
  let finishedSeen: boolean | null = null;
  const forkButton = byId<HTMLButtonElement>("fork");
  forkButton.addEventListener("click", () => askFork(info.id, sessionStorage.getItem(tokenKey(info.id)), view.store, dialogActions));
  byId("debrief-open").addEventListener("click", () => debrief.show(debriefInput()));
  view.inspector.onSurgeZone = (zone) => {
    const z = view.layout?.zones[zone];
    if (z) send({ type: "inject", intervention: { type: "demand-surge", multiplier: 3, durationHours: 6, zones: [z.id] } });
  };

  const refresh = () => {
    const store = view.store;
    const status = store.status;
    controls.update(status, canControl(), role === "presenter");
    view.inspector.canControl = canControl();
    // While seeking, the header says where the session is going, not the minute being re-simulated.
    const seekTo = status?.seeking?.to;
    setText(byId("local-time"), seekTo === undefined ? store.localTime : `→ ${localTimeAt(store.localTime, store.t, seekTo)}`);
    setText(byId("sim-day"), status ? dayOf(seekTo ?? status.t, status.horizon) : "");
    if (status?.seeking) document.body.dataset.seeking = "";
    else delete document.body.dataset.seeking;
    forkButton.disabled = !canControl() || !status || status.seeking !== null;
    if (status) {
      renderTimelineMarks(byId("timeline-marks"), status, when);
      heldBar.update(status, canControl(), when);
      // The debrief opens by itself when the run reaches its horizon (once; the button reopens it).
      const finished = status.finished && !status.seeking;
      if (finished && finishedSeen !== true) debrief.show(debriefInput());
      else debrief.refresh(debriefInput());
      finishedSeen = finished;
    }
    const state = !status ? "" : status.halted ? "halted" : status.seeking ? "seeking" : status.finished ? "finished" : status.playing ? "playing" : "paused";
    const badge = byId("state-badge");
    setText(badge, state);
    badge.dataset.state = state;
    setText(byId("role-badge"), role ?? "");
    byId("role-badge").dataset.role = role ?? "";
    const share = byId("share");
    share.hidden = role !== "presenter";
    setText(share, `viewers: ${viewerUrl(location.origin, location.pathname, info.id)}`);
    renderPaneHeaders();
    // A session that stopped for good (a spent budget, an internal error) says why; it will not play on.
    if (status?.halted) banner("halted", `This session stopped: ${status.halted}. Start a new one to go on.`);
    else if (status?.seeking)
      banner("seeking", `Re-simulating to ${dayOf(status.seeking.to, status.horizon)} (${localTimeAt(store.localTime, store.t, status.seeking.to)})… ${(status.seeking.progress * 100).toFixed(0)}%`);
    else if (stats.state === "seeking") banner("live", "");
  };
  view.onRefresh = refresh;

  function renderPaneHeaders(): void {
    const host = byId("pane-headers");
    const map = view.map;
    const arms = view.store.arms;
    if (!map) return;
    while (levers.length < arms.length) levers.push(new LeverSwitches(levers.length, (sim, lever: Lever, on) => send({ type: "lever", lever, on, sim })));
    const rects = map.paneRects();
    if (host.childElementCount !== arms.length) {
      host.replaceChildren(
        ...arms.map((arm, i) =>
          el("div", { className: `pane-header arm-${i}`, attrs: { "data-arm": arm.label } }, [el("span", { className: "pane-label", text: arm.label }), levers[i].view]),
        ),
      );
    }
    arms.forEach((arm, i) => {
      const node = host.children[i] as HTMLElement;
      node.style.left = `${rects[i]?.x ?? 0}px`;
      node.style.width = `${rects[i]?.w ?? 0}px`;
      node.style.setProperty("--arm", cssColor(ARM_COLORS[i] ?? 0xffffff));
      setText(node.querySelector(".pane-label")!, arm.label);
      levers[i].update(arm.policy, canControl());
    });
  }

  function askForToken(): void {
    const dialog = byId<HTMLDialogElement>("present-dialog");
    const input = byId<HTMLInputElement>("token-input");
    input.value = "";
    dialog.showModal();
    dialog.addEventListener(
      "close",
      () => {
        const value = input.value.trim();
        if (dialog.returnValue !== "ok" || !value) return;
        sessionStorage.setItem(tokenKey(info.id), value);
        link.reconnectAs(value);
      },
      { once: true },
    );
  }

  const link = new Link(info.id, token, {
    state(state, detail) {
      linkState = state;
      if (state === "live") banner("live", "");
      else if (state === "connecting") banner("connecting", detail);
      else if (state === "reconnecting") banner("reconnecting", detail);
      else if (state === "refused") banner("refused", `The server refused the connection: ${detail}`);
      else banner("ended", `${detail[0]?.toUpperCase() ?? ""}${detail.slice(1)}.`, el("a", { text: "Open the default session", attrs: { href: location.pathname } }));
      refresh();
    },
    welcome(w) {
      role = w.role;
      stats.role = w.role;
      refresh();
    },
    snapshot(s) {
      showTitle(s.network.title);
      view
        .snapshot(s)
        .then(() => {
          // A fresh session plays for its presenter; not one re-simulating to where it was (a fork, a restored
          // session), whose worker may post its first snapshot at minute 0 of the rebuild.
          if (role === "presenter" && !autoplayed && s.status.t === 0 && !s.status.playing && !s.status.finished && !s.status.seeking) link.send({ type: "play" });
          autoplayed = true;
          refresh();
        })
        .catch((error: unknown) => fail(error));
    },
    delta(d) {
      if (!view.delta(d)) link.resync();
    },
    ack() {},
    error(e) {
      toast(errorText(e));
    },
    tokenRefused() {
      sessionStorage.removeItem(tokenKey(info.id));
      toast("The presenter token was refused; watching as a viewer.");
    },
  });
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  banner("error", `Something went wrong: ${message}`, el("button", { text: "Reload", attrs: { type: "button" } }));
  byId("banner").querySelector("button")?.addEventListener("click", () => location.reload());
  stats.errors.push(message);
}

start().catch(fail);
