// A socket.io-client wrapper for the server tests: connects with handshake auth, records every
// event it receives, and waits for conditions (never for fixed times).
import { io, type Socket } from "socket.io-client";
import type { Ack, Delta, ErrorPayload, Snapshot, Welcome } from "../../server/protocol.ts";

export interface Recorded {
  socket: Socket;
  welcome: Welcome[];
  snapshots: Snapshot[];
  deltas: Delta[];
  acks: Ack[];
  errors: ErrorPayload[];
  disconnected: string | null;
}

/** Poll `condition` on every turn of the event loop until it holds (or fail after `ms`). */
export async function waitFor(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Connect and record; rejects with the server's connect_error data (or message) when refused. */
export function connect(url: string, auth: unknown, options: { transports?: string[]; extraHeaders?: Record<string, string> } = {}): Promise<Recorded> {
  const socket = io(url, {
    auth: auth as Record<string, unknown>,
    transports: options.transports ?? ["websocket"],
    extraHeaders: options.extraHeaders,
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  const r: Recorded = { socket, welcome: [], snapshots: [], deltas: [], acks: [], errors: [], disconnected: null };
  socket.on("welcome", (w: Welcome) => r.welcome.push(w));
  socket.on("snapshot", (s: Snapshot) => r.snapshots.push(s));
  socket.on("delta", (d: Delta) => r.deltas.push(d));
  socket.on("ack", (a: Ack) => r.acks.push(a));
  socket.on("error", (e: ErrorPayload) => r.errors.push(e));
  socket.on("disconnect", (reason) => (r.disconnected = reason));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(r));
    socket.once("connect_error", (error: Error & { data?: ErrorPayload }) => {
      socket.close();
      reject(error.data ?? { code: "connect-error", message: error.message });
    });
  });
}
