// The socket to the live server: join a session as presenter (token in the handshake auth, never in
// a URL the server sees) or viewer, say plainly what the connection is doing, reconnect on its own,
// and tag each command with a ref so a refusal can be matched to what was tried.
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, Command, Delta, ErrorPayload, ServerToClientEvents, Snapshot, Welcome } from "../../server/protocol.ts";

/** What the connection is doing, for the banner. */
export type LinkState = "connecting" | "live" | "reconnecting" | "refused" | "ended";

export interface LinkEvents {
  state(state: LinkState, detail: string): void;
  welcome(w: Welcome): void;
  snapshot(s: Snapshot): void;
  delta(d: Delta): void;
  ack(a: Ack): void;
  /** A refusal or problem from the server (already worded for the user). */
  error(e: ErrorPayload): void;
  /** The presenter token was refused; now watching as a viewer. */
  tokenRefused(): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type CommandInput = DistributiveOmit<Command, "ref">;

export class Link {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private nextRef = 1;

  constructor(
    readonly sessionId: string,
    private token: string | null,
    private readonly events: LinkEvents,
  ) {
    this.socket = this.open();
    events.state("connecting", "connecting to the server…");
  }

  get presenting(): boolean {
    return this.token !== null;
  }

  /** Send a presenter command; returns its ref. */
  send(command: CommandInput): string {
    const ref = `c${this.nextRef++}`;
    this.socket.emit("command", { ...command, ref } as Command);
    return ref;
  }

  /** Ask for a fresh snapshot (a gap in the frame numbers). */
  resync(): void {
    this.socket.emit("resync");
  }

  /** Reconnect with a presenter token (or none, to watch): a fresh connection, so no retry back-off applies. */
  reconnectAs(token: string | null): void {
    this.token = token;
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.close();
    this.socket = this.open();
    this.events.state("connecting", token ? "connecting as presenter…" : "connecting as viewer…");
  }

  close(): void {
    this.socket.close();
  }

  private open(): Socket<ServerToClientEvents, ClientToServerEvents> {
    this.socket = io({ auth: this.auth(), forceNew: true, reconnectionDelayMax: 4000, timeout: 8000 });
    this.wire();
    return this.socket;
  }

  private auth(): { sessionId: string; token?: string } {
    return this.token ? { sessionId: this.sessionId, token: this.token } : { sessionId: this.sessionId };
  }

  private wire(): void {
    const { socket, events } = this;
    socket.on("connect", () => events.state("live", "connected"));
    socket.on("welcome", (w) => events.welcome(w));
    socket.on("snapshot", (s) => events.snapshot(s));
    socket.on("delta", (d) => events.delta(d));
    socket.on("ack", (a) => events.ack(a));
    socket.on("error", (e) => {
      if (e?.code === "session-not-found") events.state("ended", e.message || "the session ended");
      events.error(e);
    });
    socket.on("connect_error", (error: Error & { data?: ErrorPayload }) => {
      const data = error.data;
      if (socket.active) {
        events.state("reconnecting", "cannot reach the server; retrying…");
        return;
      }
      // Refused by the server's handshake checks: say why, and fall back where that makes sense.
      if (data?.code === "forbidden" && this.token) {
        this.token = null;
        events.tokenRefused();
        this.reconnectAs(null);
        return;
      }
      if (data?.code === "session-not-found") events.state("ended", "this session no longer exists");
      else events.state("refused", data?.message ?? error.message);
      if (data) events.error(data);
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      if (socket.active) events.state("reconnecting", "connection lost; reconnecting…");
      else events.state("ended", "the server closed the connection");
    });
    socket.io.on("reconnect_attempt", (n) => events.state("reconnecting", `connection lost; reconnecting (attempt ${n})…`));
  }
}
