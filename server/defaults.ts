// Where and how big the live server is by default: kept apart from server.ts so the CLI can show them
// in `serve --help` without loading express and socket.io (every other command starts faster).

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_SESSIONS = 4;
