// socket.io wiring: who may connect (Origin and Host on every request, upgrades included; session id
// and optional presenter token in the handshake `auth`), per-socket rate limits, validation of every
// inbound message, and fan-out of frames. A client whose socket is backed up skips deltas and gets
// one fresh snapshot when it drains — a resync too waits for the drain — so a slow client costs memory
// for one frame, not a backlog; one whose buffered bytes pass a cap, or that stays backed up too long,
// is disconnected.
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { WallClock } from "./live/clock.ts";
import { handshakeSchema, parseCommand } from "./live/inbound.ts";
import type { SessionRegistry } from "./live/registry.ts";
import type { LiveSession as Session } from "./live/live-session.ts";
import type { OriginPolicy } from "./origin.ts";
import { CLIENT_EVENTS, ERROR_CODES, PROTOCOL_VERSION, SERVER_EVENTS, type ErrorCode, type ErrorPayload, type Role } from "./protocol.ts";

/** Limits of the socket layer. */
export interface SocketLimits {
  /** Largest message a client may send, bytes (socket.io maxHttpBufferSize). */
  maxMessageBytes: number;
  /** Messages a socket may send per second, sustained, and in a burst. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Refused messages in a row before the socket is cut off. */
  maxRefusedInARow: number;
  /** Time a client has to complete the socket.io handshake, ms. */
  connectTimeoutMs: number;
  /** Sockets across all sessions. */
  maxClients: number;
  /** Packets queued for a socket beyond which it counts as behind. */
  maxQueuedPackets: number;
  /** Bytes waiting to be written to one socket (queued packets and the WebSocket's buffer) past which it is disconnected. */
  maxBufferedBytes: number;
  /** Wall ms a socket may stay behind without draining before it is disconnected. */
  maxBehindMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxMessageBytes: 64 * 1024,
  messagesPerSecond: 10,
  messageBurst: 20,
  maxRefusedInARow: 20,
  connectTimeoutMs: 10_000,
  maxClients: 2000,
  maxQueuedPackets: 10,
  maxBufferedBytes: 1024 * 1024,
  maxBehindMs: 30_000,
};

export interface SocketContext {
  registry: SessionRegistry;
  origins: OriginPolicy;
  clock: WallClock;
  limits: SocketLimits;
  /** Packets waiting to be written to a socket (engine.io's write buffer); replaceable in tests. */
  queuedPackets?: (socket: Socket) => number;
  /** Bytes waiting to be written to a socket; replaceable in tests. */
  bufferedBytes?: (socket: Socket) => number;
  log(line: string): void;
}

/** What the server keeps per socket. */
interface ClientState {
  session: Session;
  role: Role;
  tokens: number;
  refilledAt: number;
  refusedInARow: number;
  /** Behind: skips deltas until its queue drains, then gets a snapshot (also set by a resync). */
  needsSnapshot: boolean;
  /** Wall ms since which it has had a snapshot pending without draining, or null. */
  behindSince: number | null;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.values(CLIENT_EVENTS));

/** engine.io's view of a connection (not in its typings): packets not yet written, and the WebSocket's own buffer. */
interface EngineConnection {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { socket?: { bufferedAmount?: number } };
}

function engineQueue(socket: Socket): number {
  // engine.io keeps packets it could not write yet in `writeBuffer` (a long-polling client that does
  // not poll, or a WebSocket whose previous write has not completed).
  return (socket.conn as unknown as EngineConnection).writeBuffer?.length ?? 0;
}

function engineBufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    bytes += typeof data === "string" ? data.length : data instanceof Uint8Array ? data.byteLength : 0;
  }
  return bytes;
}

function room(session: Session): string {
  return `session:${session.id}`;
}

function connectError(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code, message } satisfies ErrorPayload });
}

/** The ref a client put on a command, if it is one we may echo. */
function refOf(payload: unknown): ErrorPayload["ref"] {
  const ref = (payload as { ref?: unknown } | null)?.ref;
  return (typeof ref === "string" && ref.length <= 64) || (typeof ref === "number" && Number.isSafeInteger(ref)) ? ref : undefined;
}

/** Attach socket.io to the HTTP server and make it the registry's transport. */
export function attachSockets(httpServer: HttpServer, ctx: SocketContext): Server {
  const { limits, registry, clock } = ctx;
  const queued = ctx.queuedPackets ?? engineQueue;
  const buffered = ctx.bufferedBytes ?? engineBufferedBytes;
  /** Nothing waiting to be written: a snapshot sent now goes straight out. */
  const drained = (socket: Socket) => queued(socket) === 0 && buffered(socket) === 0;
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: limits.maxMessageBytes,
    connectTimeout: limits.connectTimeoutMs,
    // No CORS headers: browsers may use the API from the server's own origin only.
  });
  const states = new WeakMap<Socket, ClientState>();

  // engine.io middlewares run for every HTTP request and every WebSocket upgrade (CORS covers neither).
  io.engine.use((req: Parameters<OriginPolicy["requestAllowed"]>[0], _res: unknown, next: (error?: Error) => void) => {
    if (ctx.origins.requestAllowed(req)) next();
    else next(new Error(ERROR_CODES.originRejected));
  });

  io.use((socket, next) => {
    if (io.engine.clientsCount > limits.maxClients) return next(connectError(ERROR_CODES.sessionLimit, "the server has too many clients"));
    const auth = handshakeSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return next(connectError(ERROR_CODES.badMessage, "auth must be { sessionId, token? }"));
    const session = registry.get(auth.data.sessionId);
    if (!session) return next(connectError(ERROR_CODES.sessionNotFound, "no session with that id"));
    let role: Role = "viewer";
    if (auth.data.token !== undefined) {
      if (!registry.isPresenter(session, auth.data.token)) return next(connectError(ERROR_CODES.forbidden, "that is not this session's presenter token"));
      role = "presenter";
    }
    states.set(socket, { session, role, tokens: limits.messageBurst, refilledAt: clock.now(), refusedInARow: 0, needsSnapshot: false, behindSince: null });
    next();
  });

  const sendError = (socket: Socket, code: ErrorCode, message: string, ref?: ErrorPayload["ref"]) =>
    socket.emit(SERVER_EVENTS.error, { code, message, ...(ref === undefined ? {} : { ref }) } satisfies ErrorPayload);

  const sendSnapshot = (socket: Socket, state: ClientState) => {
    const snapshot = state.session.snapshot();
    // A session still being built has none yet: it is sent when the session is ready (a reset).
    if (snapshot === null) {
      state.needsSnapshot = true;
      return;
    }
    state.needsSnapshot = false;
    state.behindSince = null;
    socket.emit(SERVER_EVENTS.snapshot, snapshot);
  };

  /** Mark a socket as owing a snapshot (at most one is ever pending); send it now if the socket has drained. */
  const oweSnapshot = (socket: Socket, state: ClientState) => {
    if (!state.needsSnapshot) state.behindSince = clock.now();
    state.needsSnapshot = true;
    if (drained(socket)) sendSnapshot(socket, state);
  };

  /** Disconnect a socket holding more than the byte cap, or behind for too long; true if it was. */
  const dropIfStuck = (socket: Socket, state: ClientState): boolean => {
    const bytes = buffered(socket);
    const behindMs = state.behindSince === null ? 0 : clock.now() - state.behindSince;
    if (bytes <= limits.maxBufferedBytes && behindMs <= limits.maxBehindMs) return false;
    ctx.log(
      bytes > limits.maxBufferedBytes
        ? `socket ${socket.id} disconnected: ${bytes} bytes waiting to be written (limit ${limits.maxBufferedBytes})`
        : `socket ${socket.id} disconnected: it has not read for ${Math.round(behindMs / 1000)} s (limit ${limits.maxBehindMs / 1000} s)`,
    );
    socket.disconnect(true);
    return true;
  };

  io.on("connection", (socket) => {
    const state = states.get(socket)!;
    const { session } = state;
    session.viewers++;
    socket.join(room(session));
    socket.emit(SERVER_EVENTS.welcome, { protocol: PROTOCOL_VERSION, sessionId: session.id, role: state.role });
    sendSnapshot(socket, state);

    // Every inbound packet: rate limit first, then only the events the protocol names.
    socket.use(([event], next) => {
      const now = clock.now();
      state.tokens = Math.min(limits.messageBurst, state.tokens + ((now - state.refilledAt) / 1000) * limits.messagesPerSecond);
      state.refilledAt = now;
      if (state.tokens < 1) {
        if (++state.refusedInARow >= limits.maxRefusedInARow) {
          sendError(socket, ERROR_CODES.rateLimited, "too many messages; disconnected");
          socket.disconnect(true);
        } else sendError(socket, ERROR_CODES.rateLimited, `more than ${limits.messagesPerSecond} messages a second`);
        return;
      }
      state.tokens--;
      if (typeof event !== "string" || !KNOWN_EVENTS.has(event)) {
        state.refusedInARow++;
        sendError(socket, ERROR_CODES.unknownEvent, `unknown event; send one of ${[...KNOWN_EVENTS].join(", ")}`);
        return;
      }
      state.refusedInARow = 0;
      next();
    });

    socket.on(CLIENT_EVENTS.command, (payload: unknown) => {
      const ref = refOf(payload);
      if (state.role !== "presenter") return sendError(socket, ERROR_CODES.forbidden, "viewers cannot control the session", ref);
      const command = parseCommand(payload);
      if (!command.ok) return sendError(socket, ERROR_CODES.badMessage, command.message, ref);
      session.command(command.value, (outcome) => {
        if (outcome.ok) socket.emit(SERVER_EVENTS.ack, outcome.ack);
        else socket.emit(SERVER_EVENTS.error, outcome.error);
      });
    });

    // The same rule as deltas: a socket that has not drained gets its one snapshot when it does, so
    // resyncs from a client that does not read never pile snapshots up.
    socket.on(CLIENT_EVENTS.resync, () => {
      if (!dropIfStuck(socket, state)) oweSnapshot(socket, state);
    });

    // Malformed packets and protocol violations end up here (socket.io then closes the connection).
    socket.on("error", () => {});
    socket.on("disconnect", () => {
      session.viewers--;
    });
  });

  registry.transport = {
    delta(session, frame) {
      const behind: string[] = [];
      for (const id of io.sockets.adapter.rooms.get(room(session)) ?? []) {
        const socket = io.sockets.sockets.get(id);
        const state = socket && states.get(socket);
        if (!socket || !state) continue;
        if (!state.needsSnapshot && queued(socket) > limits.maxQueuedPackets) {
          state.needsSnapshot = true;
          state.behindSince = clock.now();
        }
        if (state.needsSnapshot) behind.push(id);
      }
      // One encoding for the whole room; sockets that are behind are left out.
      io.to(room(session)).except(behind).emit(SERVER_EVENTS.delta, frame);
    },
    reset(session) {
      for (const id of io.sockets.adapter.rooms.get(room(session)) ?? []) {
        const socket = io.sockets.sockets.get(id);
        const state = socket && states.get(socket);
        if (state && !state.needsSnapshot) {
          state.needsSnapshot = true;
          state.behindSince = clock.now();
        }
      }
    },
    ended(session) {
      const sockets = io.in(room(session));
      sockets.emit(SERVER_EVENTS.error, { code: ERROR_CODES.sessionNotFound, message: "the session ended" } satisfies ErrorPayload);
      sockets.disconnectSockets(true);
    },
    afterTick(session) {
      for (const id of io.sockets.adapter.rooms.get(room(session)) ?? []) {
        const socket = io.sockets.sockets.get(id);
        const state = socket && states.get(socket);
        if (!socket || !state || dropIfStuck(socket, state)) continue;
        if (state.needsSnapshot && drained(socket)) sendSnapshot(socket, state);
      }
    },
  };
  return io;
}
