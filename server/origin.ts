// Who may talk to the server from a browser. Requests must name an allowed Host (a loopback name when
// the server listens on loopback, which defeats DNS rebinding), and a browser's Origin must be the
// page's own origin or one the operator allowed. Non-browser clients send no Origin and are let in.
import type { IncomingMessage } from "node:http";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Is the listening address a loopback one? */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/** The rules for one server. */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(
    /** The address the server listens on. */
    private readonly listenHost: string,
    /** Extra origins allowed, exactly as browsers send them ("https://demo.example:8443"). */
    allowedOrigins: readonly string[] = [],
  ) {
    this.allowed = new Set(allowedOrigins);
  }

  /** May a request with this Host header be served? */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return false;
    if (!isLoopback(this.listenHost)) return true;
    const name = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0];
    if (LOOPBACK_HOSTS.has(name.toLowerCase())) return true;
    // An explicitly allowed origin's host is fine too (a reverse proxy in front of a loopback server).
    for (const origin of this.allowed) if (safeHost(origin) === hostHeader.toLowerCase()) return true;
    return false;
  }

  /** May this request (HTTP or WebSocket upgrade) open a socket? */
  requestAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    if (!this.hostAllowed(host)) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    return safeHost(origin) === host?.toLowerCase();
  }
}

function safeHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}
