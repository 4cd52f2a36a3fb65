// The page served at `/` when no map client has been built: what is running and how to reach it.
// Plain HTML with no script, so helmet's default content security policy holds.
import type { SessionInfo } from "./protocol.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The status page for the sessions now running. */
export function statusPage(sessions: readonly SessionInfo[], version: string): string {
  const rows = sessions
    .map((s) => {
      const st = s.status;
      const state = st.seeking ? "seeking" : st.finished ? "finished" : st.playing ? "playing" : "paused";
      return `<tr><td><code>${escapeHtml(s.id)}</code></td><td>${escapeHtml(s.scenario.name ?? s.scenario.id)}</td><td>${escapeHtml(s.sims.map((x) => x.label).join(" vs "))}</td><td>${escapeHtml(st.localTime)}</td><td>${state}</td><td>${st.speed}</td><td>${s.viewers}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>omnitwin server</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}code{font-size:90%}</style>
</head>
<body>
<h1>omnitwin ${escapeHtml(version)}</h1>
<p><strong>The map client is not built</strong>, so this page only lists what is running. The REST API is under
<code>/api</code> (<a href="/api/scenarios">scenarios</a>, <a href="/api/sessions">sessions</a>) and frames stream over socket.io;
see docs/live-sessions.md.</p>
<h2>Sessions (${sessions.length})</h2>
${sessions.length ? `<table><tr><th>id</th><th>scenario</th><th>sims</th><th>sim time</th><th>state</th><th>speed (sim min/s)</th><th>clients</th></tr>\n${rows}</table>` : "<p>None yet: POST /api/sessions to start one.</p>"}
</body>
</html>
`;
}
