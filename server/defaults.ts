// Where and how big the live server is by default: kept apart from server.ts so the CLI can show them
// in `serve --help` without loading express and socket.io (every other command starts faster).

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_SESSIONS = 4;
/** Sessions one client address may hold when the server listens beyond loopback. */
export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 2;
/** An unwatched or finished session ends after this long. */
export const DEFAULT_SESSION_TTL_MS = 60 * 60_000;
/** Events one session's sims may run before it halts: about 11 times a whole 618 compare (3.5 million). */
export const DEFAULT_MAX_SESSION_EVENTS = 40_000_000;
/** Heap one session's worker thread may use, MB: a whole 618 compare peaks near 80 MB. */
export const DEFAULT_MAX_SESSION_HEAP_MB = 1024;
/** The basemap's worker thread ends after this long without a request, returning its ~340 MB. */
export const DEFAULT_BASEMAP_IDLE_MS = 60_000;
/** Heap the basemap's worker thread may use, MB: loading the geodata peaks near 340 MB. */
export const DEFAULT_BASEMAP_HEAP_MB = 1024;
