// Types of "jobrouter-emulator/server": the HTTP emulator server (also run by the jobrouter-emulator CLI).

import type { RouterEmulator } from "../index.js";

export interface StartServerOptions {
  /** Address to listen on; default "127.0.0.1". */
  host?: string;
  /** Port; 0 picks a free one; default 8089. */
  port?: number;
  /** "real" (default) follows wall time; "manual" moves only through the clock controls. */
  clock?: "real" | "manual";
  /** Real clock: virtual ms per wall ms; default 1. */
  speed?: number;
  /** Seed of generated ids; default 1. */
  seed?: number;
  /** Initial virtual time (ISO-8601). */
  startTime?: string;
  /** State file: a snapshot plus a journal of every change (FILE.journal.*); loaded and replayed at start. */
  state?: string;
  /** Durability of `state`: "always" (fsync before each answer), "batch" (default: fsync every 100 ms), "none". */
  stateSync?: "always" | "batch" | "none";
  /** Trace file of the session (replay: `jobrouter-emulator replay FILE --verify`, RouterEmulator.replay). */
  record?: string;
  /** Base64 access key requests must be signed with; default DEVELOPMENT_ACCESS_KEY. */
  accessKey?: string;
  /** false: no signature needed; default true. */
  auth?: boolean;
  /** Accept Bearer tokens, any x-ms-date, any content type and any api-version. */
  loose?: boolean;
  /** Accept any or no api-version. */
  skipApiVersionCheck?: boolean;
  /** "real" (default): {"communicationError": ...}; "spec": {"error": ...} + x-ms-error-code. */
  errorShape?: "real" | "spec";
  /** Text of number and boolean label/tag values in events: "json" (default) or "dotnet". */
  eventLabelText?: "json" | "dotnet";
  /** Resource limits (see RouterEmulator's option `limits`). */
  limits?: { storedBytes?: number; jobs?: number; workers?: number; queues?: number; policies?: number };
  /** Webhook that receives Event Grid event batches (after the validation handshake). */
  eventWebhook?: string;
  /** File that gets one JSON line per request (never the access key or signatures). */
  debug?: string;
  /** Print nothing. */
  silent?: boolean;
  /** Largest request body; default (and the core's own limit) 256 KiB; larger ones get 413. */
  maxBodyBytes?: number;
  /** Call function and webhook rule URIs over HTTP; default true. */
  rulesOverHttp?: boolean;
  /** Where log lines go; default stdout unless silent. */
  log?: (line: string) => void;
  /**
   * Origins (e.g. "http://localhost:3000") whose pages may use the /emulator/ controls besides the
   * server's own; others get 403 there. The REST API answers every origin (it is signed).
   */
  corsOrigins?: string[];
  /**
   * Host names answered besides the bound address, localhost and IP addresses (".example.test" also
   * covers its subdomains); requests for other names get 421 (DNS rebinding guard).
   */
  allowedHosts?: string[];
  /**
   * Whether /emulator/ needs the access key (Authorization: Bearer <key> or the HMAC signature);
   * default: true when `host` is not a loopback address.
   */
  requireControlKey?: boolean;
}

export interface WebhookStatus {
  url: string;
  state: "pending" | "validated" | "failed";
  queued: number;
  delivered: number;
  batches: number;
  deadLetters: number;
}

export interface RunningServer {
  /** e.g. "http://127.0.0.1:8089" */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** url + "/" */
  readonly endpoint: string;
  /** "endpoint=<endpoint>;accesskey=<key>", ready for the SDKs */
  readonly connectionString: string;
  readonly accessKey: string;
  /** The emulated resource behind the server (same API as in-process). */
  readonly emulator: RouterEmulator;
  readonly webhook: { status(): WebhookStatus; idle(): Promise<void> } | null;
  /** The state file's journal (null without `state`): sizes, last compaction, what the start recovered. */
  readonly stateFile: {
    readonly file: string;
    readonly recovery: {
      snapshotSeq: number;
      legacy: boolean;
      replayed: number;
      dropped: Array<{ file: string; reason: string; bytes: number; keptIn: string }>;
      loadMs: number;
      ms: number;
    } | null;
    status(): Record<string, unknown>;
    compact(): Promise<unknown>;
  } | null;
  /** Stops listening, ends event streams, writes a last snapshot of the state file (fsync'ed), frees the core. */
  close(): Promise<void>;
}

/** The well-known development access key (base64); not a secret. */
export const DEVELOPMENT_ACCESS_KEY: string;
/** Default request body limit in bytes. */
export const DEFAULT_MAX_BODY_BYTES: number;
/** Largest body PUT /emulator/state takes (512 MiB less a margin: about the longest string V8 makes). */
export const MAX_STATE_BODY_BYTES: number;
/** Thrown by startServer when the state file cannot be used (it is never overwritten then). */
export class StateFileError extends Error {}

export function startServer(options?: StartServerOptions): Promise<RunningServer>;
