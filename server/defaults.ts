// Where and how big the live server is by default: kept apart from server.ts so the CLI can show them
// in `serve --help` without loading express and socket.io (every other command starts faster).

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_SESSIONS = 4;
/** Sessions one client address may hold when the server listens beyond loopback. */
export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 2;
/** An unwatched or finished session ends after this long. */
export const DEFAULT_SESSION_TTL_MS = 60 * 60_000;
