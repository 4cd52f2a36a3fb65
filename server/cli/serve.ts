// `omnitwin serve`: the live-session server — REST API, socket.io frames, and the map client (built on
// start when missing or stale; the status page with --no-client or if the build fails). With no sessions
// to restore it opens the default one: 618-promotion, siloed vs coordinated on one seed. The data
// directory is checked before listening. Runs until SIGINT or SIGTERM (or an error), then saves every
// manifest and stops listening; a second signal exits at once.
import { isAbsolute, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { OMNITWIN_VERSION } from "../../sim/index.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { DEFAULT_HOST, DEFAULT_MAX_SESSION_EVENTS, DEFAULT_MAX_SESSION_HEAP_MB, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_CLIENT, DEFAULT_PORT, DEFAULT_SESSION_TTL_MS } from "../defaults.ts";
import type { startServer } from "../server.ts";
import { EXIT, errorText, type CommandContext, type ExitCode } from "./io.ts";
import { unwritableReason } from "../output/writable.ts";

/** The scenario the default session runs. */
export const DEFAULT_SCENARIO = "618-promotion";
const DEFAULT_DATA_DIR = ".omnitwin/sessions";

interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  scenarios: string;
  maxSessions: number;
  maxSessionsPerClient?: number;
  sessionTtl: number;
  maxSessionEvents: number;
  maxSessionHeap: number;
  allowOrigin?: string[];
  trustProxy?: string;
  defaultSession: boolean;
  client: boolean;
  reissueTokens?: boolean;
}

function wholeNumber(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function origin(text: string, previous: string[] = []): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('expected an origin like "https://demo.example:8443"');
  }
  if (url.origin !== text) throw new InvalidArgumentError(`expected an origin exactly as browsers send it, e.g. ${JSON.stringify(url.origin)}`);
  return [...previous, text];
}

/** Longest wait for an orderly close after a stop; then the server is left to the process exit. */
const CLOSE_TIMEOUT_MS = 5000;

/** Resolves on the first SIGINT or SIGTERM; a second one exits the process at once (a close that hangs never traps it). */
function stopSignal(): Promise<string> {
  return new Promise((done) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        process.stderr.write(`omnitwin serve: ${signal} again: exiting now\n`);
        process.exit(EXIT.failed);
      }
      received = true;
      done(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** Add the `serve` command to the program. */
export function registerServe(program: Command, context: CommandContext): void {
  program
    .command("serve")
    .description("serve live sessions: REST API, socket.io frames and the map client")
    .option("--port <n>", "TCP port (0 picks a free one)", wholeNumber(0, 65535), DEFAULT_PORT)
    .option("--host <address>", "address to listen on (loopback unless you mean to share it)", DEFAULT_HOST)
    .option("--data-dir <dir>", "where session manifests are kept (sessions come back after a restart)", DEFAULT_DATA_DIR)
    .option("--scenarios <dir>", "the scenario catalogue", resolve(PACKAGE_ROOT, "scenarios"))
    .option("--max-sessions <n>", "sessions the server holds at once", wholeNumber(1, 64), DEFAULT_MAX_SESSIONS)
    .option("--max-sessions-per-client <n>", `sessions one client address may hold (default: all on loopback, ${DEFAULT_MAX_SESSIONS_PER_CLIENT} beyond)`, wholeNumber(1, 64))
    .option("--session-ttl <minutes>", "end a session no client has watched for this long, or that finished this long ago (0: never)", wholeNumber(0, 525_600), DEFAULT_SESSION_TTL_MS / 60_000)
    .option("--max-session-events <n>", "events one session's sims may run before it halts (budget spent)", wholeNumber(1000, 10_000_000_000), DEFAULT_MAX_SESSION_EVENTS)
    .option("--max-session-heap <MB>", "heap one session's worker thread may use before the session halts (budget spent)", wholeNumber(32, 65_536), DEFAULT_MAX_SESSION_HEAP_MB)
    .option("--allow-origin <origin>", "also accept browsers from this origin (repeatable)", origin)
    .option("--trust-proxy <proxy>", 'behind a reverse proxy that terminates HTTPS: its address(es) or "loopback" (express trust proxy); HSTS is then sent for its HTTPS requests')
    .option("--no-default-session", `do not open the default ${DEFAULT_SCENARIO} compare session`)
    .option("--no-client", "serve the status page instead of the map client (and do not build it)")
    .option("--reissue-tokens", "give every restored session a new presenter token and print it (the old ones stop working)")
    .addHelpText(
      "after",
      `
The presenter token of each session is printed once (default session) or returned by
POST /api/sessions; clients send it in the socket.io handshake auth, never in a URL.
Listening beyond loopback (--host 0.0.0.0), creating and deleting sessions needs the operator token,
printed at start (Authorization: Bearer <token>); the operator may end any session.
The server keeps only its hash, so a restored session's token still works but cannot be printed again;
lost it? Restart with --reissue-tokens to get new ones.
docs/live-sessions.md describes the API, the frames and the limits.`,
    )
    .action(async (options: ServeOptions) => context.setExitCode(await serveCommand(options, context, stopSignal())));
}

/** Run the server until `stop` resolves; the exit code. */
export async function serveCommand(options: ServeOptions, { io }: CommandContext, stop: Promise<string>): Promise<ExitCode> {
  const dataDir = isAbsolute(options.dataDir) ? options.dataDir : resolve(process.cwd(), options.dataDir);
  // Before listening: a server that cannot record its sessions must not accept any.
  const unwritable = unwritableReason(dataDir);
  if (unwritable !== null) {
    io.stderr.write(`omnitwin serve: cannot keep sessions in the data directory: ${unwritable}; choose another with --data-dir\n`);
    return EXIT.failed;
  }
  const clientDir = options.client ? await mapClient(io) : null;
  let server;
  try {
    // Loaded here, not at the top: express and socket.io are most of the CLI's start-up, and only serve needs them.
    const { startServer } = await import("../server.ts");
    server = await startServer({
      host: options.host,
      port: options.port,
      scenariosDir: resolve(options.scenarios),
      dataDir,
      clientDir,
      // The map's first view should not wait for the geodata to load: start on it now (its worker ends when idle).
      warmBasemap: clientDir !== null,
      maxSessions: options.maxSessions,
      maxSessionsPerClient: options.maxSessionsPerClient,
      sessionTtlMs: options.sessionTtl === 0 ? null : options.sessionTtl * 60_000,
      maxSessionEvents: options.maxSessionEvents,
      maxSessionHeapMb: options.maxSessionHeap,
      allowedOrigins: options.allowOrigin ?? [],
      // A number is a hop count for express; anything else is its list of proxy addresses (or "loopback").
      trustProxy: options.trustProxy === undefined ? false : /^\d+$/.test(options.trustProxy) ? Number(options.trustProxy) : options.trustProxy,
      log: (line) => void io.stderr.write(`omnitwin serve: ${line}\n`),
    });
  } catch (error) {
    io.stderr.write(`omnitwin serve: cannot listen on ${options.host}:${options.port}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  // Whatever happens from here, the listener is closed before returning: a server that failed must not
  // keep answering (nor keep the process alive).
  try {
    io.stdout.write(`omnitwin ${OMNITWIN_VERSION} serving ${server.url}\n`);
    if (server.operatorToken !== null) {
      io.stdout.write(`operator token (creating and deleting sessions): ${server.operatorToken}\n`);
      // The fragment never reaches the server: the page keeps the token in its tab and sends it when it starts a session.
      io.stdout.write(`operator page (starts sessions): ${server.url}#operator=${server.operatorToken}\n`);
    }
    if (server.restored > 0) {
      io.stdout.write(`restored ${server.restored} session(s) from ${dataDir}\n`);
      if (options.reissueTokens) reissueTokens(server, io);
      else io.stdout.write("their presenter links still work; lost one? restart with --reissue-tokens\n");
      // Every restored run already at its horizon: a room needs one it can play, so open a fresh one too.
      const sessions = server.registry.list();
      if (options.defaultSession && sessions.every((s) => s.horizon <= s.logicalTime)) {
        io.stdout.write("every restored session has finished; opening a fresh one\n");
        openDefaultSession(server, io);
      }
    } else if (options.defaultSession) openDefaultSession(server, io);
    const signal = await stop;
    await closeWithin(server, CLOSE_TIMEOUT_MS);
    io.stderr.write(`omnitwin serve: ${signal}: stopped; ${server.registry.size} session(s) saved in ${dataDir}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`omnitwin serve: stopping: ${errorText(error)}\n`);
    await closeWithin(server, CLOSE_TIMEOUT_MS).catch(() => {});
    return EXIT.failed;
  }
}

function closeWithin(server: Awaited<ReturnType<typeof startServer>>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    server.close().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The built map client, built first when missing or stale; null (status page) when the build fails. */
async function mapClient(io: CommandContext["io"]): Promise<string | null> {
  const { CLIENT_DIST, ensureClientBuilt } = await import("../../client/build.ts");
  try {
    await ensureClientBuilt({ log: (line) => void io.stderr.write(`omnitwin serve: ${line}\n`) });
    return CLIENT_DIST;
  } catch (error) {
    io.stderr.write(`omnitwin serve: the map client did not build, serving the status page: ${errorText(error)}\n`);
    return null;
  }
}

function reissueTokens(server: Awaited<ReturnType<typeof startServer>>, io: CommandContext["io"]): void {
  for (const session of server.registry.list()) {
    const token = server.registry.reissueToken(session);
    io.stdout.write(
      `session ${session.id}: ${session.spec.scenario.id}, new presenter token: ${token}\n` + links(server.url, session.id, token),
    );
  }
}

function openDefaultSession(server: Awaited<ReturnType<typeof startServer>>, io: CommandContext["io"]): void {
  const entry = server.catalog.load(DEFAULT_SCENARIO);
  if (!entry?.result.ok) {
    io.stderr.write(`omnitwin serve: no default session: scenario ${DEFAULT_SCENARIO} is missing or invalid\n`);
    return;
  }
  const created = server.registry.create({ scenario: entry.result.scenario, scenarioName: entry.name, scenarioText: entry.text, compare: true });
  if (!created) return;
  io.stdout.write(
    `default session ${created.session.id}: ${DEFAULT_SCENARIO}, siloed vs coordinated, seed ${created.session.spec.seed} (paused)\n` +
      `presenter token: ${created.presenterToken}\n` +
      links(server.url, created.session.id, created.presenterToken),
  );
}

/** The two links a trainer needs, said plainly: the one to open on the presenting machine, the one to share. */
function links(url: string, id: string, token: string): string {
  return `presenter link (open this one to run the demo; it holds the controls): ${url}?session=${id}#token=${token}\n` + `viewer link (share with the room; watch only): ${url}?session=${id}\n`;
}
