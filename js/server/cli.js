// Command line of `jobrouter-emulator` (the package's bin): flags → startServer options, the start
// banner, and shutdown on SIGINT/SIGTERM.

import { parseArgs } from "node:util";
import { PACKAGE_VERSION } from "./version.js";
import { FAULT_FLAGS, FAULT_USAGE, applyFaultFlags, faultsBannerLine, faultsFromFlags } from "./faults.js";
import { isLoopbackHost, normalizeAllowedHost, normalizeOrigin } from "./security.js";

export const USAGE = `Usage: jobrouter-emulator [options]
       jobrouter-emulator replay FILE [--until N] [--verify] [--export OUT]

Runs an offline Azure Communication Services Job Router (REST API 2023-11-01) on a local port.

Options:
  --host HOST               address to listen on (default 127.0.0.1); beyond loopback the
                            /emulator/ controls need the access key (see Security in the README)
  --port PORT               port to listen on, 0 for any free port (default 8089)
  --clock real|manual       real: follows wall time (default); manual: moves only through
                            POST /emulator/clock/advance and /emulator/clock/set
  --speed N                 real clock: N virtual seconds per wall second (default 1)
  --seed N                  seed of generated ids (default 1)
  --start-time ISO          initial virtual time (default: now; 2024-01-01T00:00:00Z with --clock manual)
  --state FILE              keep the state in FILE (a snapshot) and FILE.journal.* (every change,
                            appended); loaded and replayed at start (README "State file")
  --state-sync always|batch|none
                            durability of --state: always: fsync before each answer; batch: fsync
                            at least every 100 ms, nothing acknowledged is lost when the process is
                            killed (default); none: never fsync (the OS writes when it chooses)
  --record FILE             write a trace of the session to FILE (README "Trace files"); re-run it
                            with: jobrouter-emulator replay FILE [--until N] [--verify]
  --access-key KEY          base64 access key that requests must be signed with
                            (default: the well-known development key printed at start)
  --no-auth                 accept REST requests without a signature: anyone who can reach the
                            port (any web page, through CORS) can then read and change every resource
  --loose                   accept Bearer tokens, any x-ms-date, any content type and any api-version
  --skip-api-version-check  accept any or no api-version
  --error-shape real|spec   real: {"communicationError": ...} as the service answers (default);
                            spec: {"error": ...} as the OpenAPI document describes
  --max-stored-mb N         refuse writes (507) once the resources' JSON would pass N MiB (default 256; 0: none)
  --max-jobs N, --max-workers N, --max-queues N, --max-policies N
                            refuse creating more (507; defaults 250000, 50000, 10000, 10000 of each
                            policy kind; 0: none)
  --event-label-text json|dotnet
                            text of number and boolean label/tag values in events: json: true, 2.5
                            (default); dotnet: True, 2.5 (as .NET's ToString() writes them)
  --event-webhook URL       POST events to URL as Event Grid batches (after the validation handshake)
  --max-body-bytes N        largest request body accepted, larger ones get 413 (default and
                            maximum 262144: the core's own limit)
  --cors-origin ORIGIN      let pages of ORIGIN (e.g. http://localhost:3000) use the /emulator/
                            controls too (repeatable); other origins get 403 there
  --allowed-host NAME       also answer requests for host name NAME, or for a domain and its
                            subdomains with .NAME (repeatable); other names get 421 (DNS
                            rebinding guard; IP addresses and localhost are always answered)
  --debug FILE              append a JSON line per request (REST request and response, controls,
                            refusals; never the access key or signatures) to FILE
${FAULT_USAGE}  --silent                  print nothing but errors
  -h, --help                show this help
  -v, --version             show the version
`;

export class UsageError extends Error {}

/**
 * A whole number flag's value, from `min` to `max`.
 * @param {string} name
 * @param {string} text
 * @param {number} min
 * @param {number} max
 */
function integer(name, text, min, max) {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} needs a whole number, got '${text}'`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${name} must be from ${min} to ${max}, got ${value}`);
  return value;
}

/**
 * The flags (node:util parseArgs options).
 * @type {import("node:util").ParseArgsConfig["options"]}
 */
const FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  clock: { type: "string" },
  speed: { type: "string" },
  seed: { type: "string" },
  "start-time": { type: "string" },
  state: { type: "string" },
  "state-sync": { type: "string" },
  record: { type: "string" },
  "access-key": { type: "string" },
  "no-auth": { type: "boolean" },
  loose: { type: "boolean" },
  "skip-api-version-check": { type: "boolean" },
  "error-shape": { type: "string" },
  "event-label-text": { type: "string" },
  "max-stored-mb": { type: "string" },
  "max-jobs": { type: "string" },
  "max-workers": { type: "string" },
  "max-queues": { type: "string" },
  "max-policies": { type: "string" },
  "event-webhook": { type: "string" },
  "max-body-bytes": { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  "allowed-host": { type: "string", multiple: true },
  debug: { type: "string" },
  ...FAULT_FLAGS,
  silent: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
};

/**
 * Where the server listens, its clock and its files (--host … --record).
 * @param {Record<string, any>} v parsed flags
 * @param {Record<string, any>} options startServer options, filled in
 */
function serverFlags(v, options) {
  if (v.host !== undefined) {
    if (v.host === "") throw new UsageError("--host needs an address");
    options.host = v.host;
  }
  if (v.port !== undefined) options.port = integer("port", v.port, 0, 65535);
  if (v.clock !== undefined) {
    if (v.clock !== "real" && v.clock !== "manual") throw new UsageError(`--clock must be real or manual, got '${v.clock}'`);
    options.clock = v.clock;
  }
  if (v.speed !== undefined) {
    const speed = Number(v.speed);
    if (!Number.isFinite(speed) || speed <= 0) throw new UsageError(`--speed needs a number > 0, got '${v.speed}'`);
    options.speed = speed;
  }
  if (v.seed !== undefined) options.seed = integer("seed", v.seed, 0, Number.MAX_SAFE_INTEGER);
  if (v["start-time"] !== undefined) {
    if (Number.isNaN(Date.parse(v["start-time"]))) {
      throw new UsageError(`--start-time needs an ISO-8601 date-time, got '${v["start-time"]}'`);
    }
    options.startTime = v["start-time"];
  }
  if (v.state !== undefined) {
    if (v.state === "") throw new UsageError("--state needs a file name");
    options.state = v.state;
  }
  if (v["state-sync"] !== undefined) {
    if (!["always", "batch", "none"].includes(v["state-sync"])) {
      throw new UsageError(`--state-sync must be always, batch or none, got '${v["state-sync"]}'`);
    }
    options.stateSync = v["state-sync"];
  }
  if (v.record !== undefined) {
    if (v.record === "") throw new UsageError("--record needs a file name");
    options.record = v.record;
  }
}

/**
 * Authentication and what the core is told (--access-key … --max-policies).
 * @param {Record<string, any>} v parsed flags
 * @param {Record<string, any>} options startServer options, filled in
 */
function coreFlags(v, options) {
  if (v["access-key"] !== undefined) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v["access-key"])) throw new UsageError("--access-key needs a base64 key");
    options.accessKey = v["access-key"];
  }
  if (v["no-auth"]) options.auth = false;
  if (v.loose) options.loose = true;
  if (v["skip-api-version-check"]) options.skipApiVersionCheck = true;
  if (v["error-shape"] !== undefined) {
    const shape = v["error-shape"].toLowerCase();
    if (shape !== "real" && shape !== "spec") throw new UsageError(`--error-shape must be real or spec, got '${v["error-shape"]}'`);
    options.errorShape = shape;
  }
  if (v["event-label-text"] !== undefined) {
    const text = v["event-label-text"].toLowerCase();
    if (text !== "json" && text !== "dotnet") {
      throw new UsageError(`--event-label-text must be json or dotnet, got '${v["event-label-text"]}'`);
    }
    options.eventLabelText = text;
  }
  /** @type {Record<string, number>} */
  const limits = {};
  if (v["max-stored-mb"] !== undefined) limits.storedBytes = integer("max-stored-mb", v["max-stored-mb"], 0, 4096) * 1024 * 1024;
  for (const [flag, key] of [["max-jobs", "jobs"], ["max-workers", "workers"], ["max-queues", "queues"], ["max-policies", "policies"]]) {
    if (v[flag] !== undefined) limits[key] = integer(flag, v[flag], 0, Number.MAX_SAFE_INTEGER);
  }
  if (Object.keys(limits).length > 0) {
    options.limits = limits;
  }
}

/**
 * The webhook, body limit, security flags, debug log and silence (--event-webhook … --silent).
 * @param {Record<string, any>} v parsed flags
 * @param {Record<string, any>} options startServer options, filled in
 */
function networkFlags(v, options) {
  if (v["event-webhook"] !== undefined) {
    let url;
    try {
      url = new URL(v["event-webhook"]);
    } catch {
      throw new UsageError(`--event-webhook needs an http(s) URL, got '${v["event-webhook"]}'`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new UsageError(`--event-webhook needs an http(s) URL, got '${v["event-webhook"]}'`);
    }
    options.eventWebhook = url.toString();
  }
  if (v["max-body-bytes"] !== undefined) options.maxBodyBytes = integer("max-body-bytes", v["max-body-bytes"], 1, 262144);
  // ---- security flags (README "Security") ----
  if (v["cors-origin"] !== undefined) {
    options.corsOrigins = v["cors-origin"].map((/** @type {string} */ origin) => {
      if (origin === "*") throw new UsageError("--cors-origin needs an origin such as http://localhost:3000 ('*' is not allowed: it would open the controls to every page)");
      try {
        return normalizeOrigin(origin);
      } catch (/** @type {any} */ error) {
        throw new UsageError(`--cors-origin: ${error.message}`);
      }
    });
  }
  if (v["allowed-host"] !== undefined) {
    options.allowedHosts = v["allowed-host"].map((/** @type {string} */ name) => {
      try {
        return normalizeAllowedHost(name);
      } catch (/** @type {any} */ error) {
        throw new UsageError(`--allowed-host: ${error.message}`);
      }
    });
  }
  if (v.debug !== undefined) {
    if (v.debug === "") throw new UsageError("--debug needs a file name");
    options.debug = v.debug;
  }
  if (v.silent) options.silent = true;
}

/**
 * Parses the command line. Returns { help } / { version } or { options } for startServer.
 * Throws UsageError for anything wrong.
 * @param {string[]} argv arguments after the program name
 */
export function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: false, options: FLAGS });
  } catch (/** @type {any} */ error) {
    throw new UsageError(error.message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  /** @type {Record<string, any>} */
  const v = parsed.values;
  if (v.help) return { help: true };
  if (v.version) return { version: true };
  /** @type {Record<string, any>} */
  const options = {};
  serverFlags(v, options);
  coreFlags(v, options);
  networkFlags(v, options);
  const faults = faultsFromFlags(v, (message) => new UsageError(message));
  return faults ? { options, faults } : { options };
}

/**
 * The banner's security lines: what is open to whom.
 * @param {any} server what startServer resolved to, plus defaultKey
 */
function securityLines(server) {
  const o = server.options;
  const wellKnown = o.accessKey === server.defaultKey;
  const lines = [];
  if (o.requireControlKey) {
    lines.push(
      `  Control key        required on /emulator/ (listening on ${o.host}, beyond loopback): ` +
        "Authorization: Bearer <access key>, or the HMAC signature" +
        (wellKnown ? "; the well-known development key is public: pass --access-key to keep others out" : ""),
    );
  } else if (!isLoopbackHost(o.host)) {
    lines.push("  Control key        not required (requireControlKey: false): anyone who reaches the port controls the emulator");
  }
  lines.push(
    `  Control origins    this server's own${o.corsOrigins.length ? `, ${o.corsOrigins.join(", ")}` : ""} (others get 403)`,
  );
  if (o.allowedHosts.length) lines.push(`  Allowed hosts      ${o.allowedHosts.join(", ")} (besides localhost and IP addresses)`);
  if (!o.auth) {
    lines.push(
      "  WARNING            --no-auth: the REST API takes unsigned requests from anyone who reaches the port, " +
        "including any web page open in a browser on this machine (the REST API allows every origin)",
    );
  }
  return lines;
}

/**
 * The start banner.
 * @param {any} server what startServer resolved to, plus defaultKey
 */
export function banner(server) {
  const o = server.options;
  const lines = [
    `jobrouter-emulator ${PACKAGE_VERSION} — Azure Communication Services Job Router (api-version 2023-11-01), offline`,
    `  Endpoint           ${server.endpoint}`,
    `  Connection string  ${server.connectionString}`,
    `  Auth               ${o.auth ? `HMAC-SHA256 with ${o.accessKey === server.defaultKey ? "the well-known development key" : "the given access key"}${o.loose ? " (loose: Bearer tokens and any x-ms-date accepted)" : ""}` : "off (--no-auth): requests need no signature"}`,
    `  Clock              ${server.emulator.clock.mode}${server.emulator.clock.mode === "real" && server.emulator.clock.speed !== 1 ? ` ×${server.emulator.clock.speed}` : ""}, now ${server.emulator.clock.now()}` +
      (server.emulator.clock.mode === "manual" ? ` (advance: POST ${server.url}/emulator/clock/advance {"ms": 30000})` : ""),
    `  Events             ${server.url}/emulator/events (Server-Sent Events)` +
      (o.eventWebhook ? `; POSTed to ${o.eventWebhook}` : ""),
    `  Controls           ${server.url}/emulator/ (health, config, clock, reset, state, explain/{jobId})`,
    `  Web demo           ${server.url}/`,
  ];
  lines.push(...securityLines(server));
  const faultsLine = faultsBannerLine(server.emulator, server.url);
  if (faultsLine) lines.push(faultsLine);
  if (o.state) {
    const r = server.stateFile.recovery;
    lines.push(
      `  State file         ${server.stateFile.file} (+ journal, --state-sync ${o.stateSync})` +
        (r && (r.replayed || r.dropped.length) ? `; replayed ${r.replayed} journal records in ${r.ms} ms` : "") +
        (r && r.dropped.length ? `, dropped an incomplete tail (${r.dropped.map((/** @type {{ bytes: number }} */ d) => `${d.bytes} bytes`).join(", ")})` : ""),
    );
  }
  if (o.record) lines.push(`  Trace              ${o.record} (replay: jobrouter-emulator replay ${o.record} --verify)`);
  if (o.debug) lines.push(`  Request log        ${o.debug}`);
  lines.push("Press Ctrl+C to stop.");
  return lines.join("\n");
}

/**
 * Runs the CLI: returns the process exit code for immediate failures, or keeps running.
 * @param {string[]} argv
 */
export async function main(argv) {
  if (argv[0] === "replay") {
    const { replayMain } = await import("./replay.js");
    return replayMain(argv.slice(1));
  }
  /** @type {Record<string, any>} */
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`jobrouter-emulator: ${error.message}\nRun 'jobrouter-emulator --help' for the options.\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const { startServer, DEVELOPMENT_ACCESS_KEY, StateFileError } = await import("./index.js");
  /** @type {any} */
  let server;
  try {
    server = await startServer(parsed.options);
    applyFaultFlags(server.emulator, parsed.faults);
  } catch (/** @type {any} */ error) {
    if (error instanceof StateFileError) {
      process.stderr.write(`jobrouter-emulator: ${error.message}\n`);
      return 1;
    }
    if (error && error.code === "EADDRINUSE") {
      process.stderr.write(`jobrouter-emulator: port ${parsed.options.port ?? 8089} is already in use (try --port 0 or another port)\n`);
      return 1;
    }
    if (error && error.code === "EACCES") {
      process.stderr.write(`jobrouter-emulator: not allowed to listen on ${parsed.options.host ?? "127.0.0.1"}:${parsed.options.port ?? 8089}\n`);
      return 1;
    }
    throw error;
  }
  server.defaultKey = DEVELOPMENT_ACCESS_KEY;
  if (!parsed.options.silent) process.stdout.write(`${banner(server)}\n`);
  let stopping = false;
  const stop = (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    if (!parsed.options.silent) process.stdout.write(`\n${signal}: stopping${server.stateFile ? ", saving the state" : ""}…\n`);
    server.close().then(
      () => process.exit(0),
      (/** @type {any} */ error) => {
        process.stderr.write(`jobrouter-emulator: shutdown failed: ${error?.message ?? error}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return undefined;
}
