// Which session a page opens and with what role: `?session=<id>` names it (else the first compare
// session, else the first); a presenter token arrives once in the URL fragment (`#token=…`, which
// browsers never send to the server), is kept in sessionStorage and removed from the address bar.
import type { SessionInfo } from "../../server/protocol.ts";

export interface PageParams {
  sessionId: string | null;
  token: string | null;
}

const SESSION_ID = /^[A-Za-z0-9_-]{16}$/;
const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;

/** Read `?session=` and `#token=` (anything malformed is ignored). */
export function readPageParams(search: string, hash: string): PageParams {
  const session = new URLSearchParams(search).get("session");
  const token = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash).get("token");
  return {
    sessionId: session !== null && SESSION_ID.test(session) ? session : null,
    token: token !== null && TOKEN.test(token) ? token : null,
  };
}

/** The session to open: the one asked for if it exists, else the first compare session, else the first. */
export function chooseSession(sessions: readonly SessionInfo[], wanted: string | null): SessionInfo | null {
  if (wanted !== null) return sessions.find((s) => s.id === wanted) ?? null;
  return sessions.find((s) => s.compare) ?? sessions[0] ?? null;
}

/** sessionStorage key of a session's presenter token. */
export function tokenKey(sessionId: string): string {
  return `omnitwin.presenter.${sessionId}`;
}

/** The page's own URL for a session, without any token (what a viewer is sent). */
export function viewerUrl(origin: string, pathname: string, sessionId: string): string {
  return `${origin}${pathname}?session=${encodeURIComponent(sessionId)}`;
}

const OPERATOR = /^[A-Za-z0-9_-]{8,200}$/;

/** sessionStorage key of the operator token (starting sessions on a server shared beyond loopback). */
export const OPERATOR_KEY = "omnitwin.operator";

/** Read `#operator=` from the page's fragment (the link `serve` prints beyond loopback); malformed → null. */
export function readOperatorToken(hash: string): string | null {
  const token = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash).get("operator");
  return token !== null && OPERATOR.test(token) ? token : null;
}

/** The request the page sends to start a session: with the operator token as a bearer token when it has one. */
export function createSessionRequest(body: object, operatorToken: string | null): RequestInit {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (operatorToken) headers.authorization = `Bearer ${operatorToken}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}
