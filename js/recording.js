// @ts-check
// Recording and replaying the inputs of a RouterEmulator: the journal of the server's --state and the
// trace files (--record, emulator.startRecording(), RouterEmulator.replay()) share this format.
//
// The core is deterministic, so the inputs that changed its state are a complete record of a session:
// each REST call that reached the core (with the virtual time it was served at), each run of the clock
// (advance, setTime, timers fired by a real clock), each answer of a function/webhook rule, reset and
// importState. One record is one line, framed so that a torn or corrupt line is detected:
//
//   <byte length of JSON> <crc32 of JSON, 8 hex digits> <JSON>\n
//
// Record fields: n (sequence number, from 1), k (kind: "req", "run", "reset", "import", "mode"; "head" for
// the first record of a trace), t (virtual ms before the input), to (virtual ms after a clock run or a
// reset), m/p/h/b (method, path and query, the headers the core reads, body), rules ([requestId, value,
// error, async?] answers given during the input), state (import), and in traces the outputs: res
// ({status, headers, body}) and ev (the events published).

import { configureFaults } from "./faults.js";

export const TRACE_FORMAT = "jobrouter-emulator-trace";
export const TRACE_VERSION = 1;

// This module also runs in browsers: Node's zlib.crc32 (Node >= 20.15) when it is there, else the same CRC-32
// (IEEE, as zlib computes it) over the UTF-8 bytes. zlib is looked up on the first CRC (loading it takes a few
// milliseconds, and most processes never record).
/** @type {any} undefined: not looked up yet; null: none */
let nodeZlib;
/** @returns {((data: string | Uint8Array) => number) | null} Node's zlib.crc32 where there is one */
function nodeCrc32() {
  if (nodeZlib === undefined) nodeZlib = /** @type {any} */ (globalThis).process?.getBuiltinModule?.("node:zlib") ?? null;
  return typeof nodeZlib?.crc32 === "function" ? nodeZlib.crc32 : null;
}
/** @type {any} */
const nodeBufferModule = /** @type {any} */ (globalThis).process?.getBuiltinModule?.("node:buffer");
/** @type {any} Node's Buffer where there is one */
const NodeBuffer = /** @type {any} */ (globalThis).Buffer;
// created on first use: some environments (jest + jsdom) have no TextEncoder, and most never record
/** @type {TextEncoder | null} */
let textEncoder = null;
/** @type {TextDecoder | null} */
let textDecoder = null;
const encode = (/** @type {string} */ text) => (textEncoder ??= new TextEncoder()).encode(text);
/** @type {Uint32Array | null} */
let crcTable = null;
/** @param {Uint8Array} bytes */
function crc32Bytes(bytes) {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
/** @type {(text: string) => number} */
const crc32 = (text) => {
  const native = nodeCrc32();
  return native !== null ? native(text) : crc32Bytes(encode(text));
};
/** @type {(bytes: Uint8Array) => number} the same CRC over bytes (of UTF-8 text: the same value as crc32) */
const crc32OfBytes = (bytes) => {
  const native = nodeCrc32();
  return native !== null ? native(bytes) : crc32Bytes(bytes);
};
/** @type {(text: string) => number} */
const byteLength = NodeBuffer ? (text) => NodeBuffer.byteLength(text) : (text) => encode(text).length;
/** @type {(text: string) => Uint8Array} */
const toBytes = (text) => (NodeBuffer ? NodeBuffer.from(text, "utf8") : encode(text));
/** @type {(bytes: Uint8Array, start: number, end: number) => string} */
const utf8 = (bytes, start, end) => (NodeBuffer && NodeBuffer.isBuffer(bytes) ? /** @type {any} */ (bytes).toString("utf8", start, end)
  : (textDecoder ??= new TextDecoder()).decode(bytes.subarray(start, end)));

/**
 * One record of a journal or trace (the fields are listed at the top of this file).
 * @typedef {Record<string, any>} TraceRecord
 */
/** @typedef {{ write: (record: TraceRecord) => void, outputs: boolean, n: number }} Sink */
/** @typedef {[string, string, string] | [string, string, string, 1]} RuleAnswer [requestId, value, error, async?] */
/**
 * One run of the core being recorded (begin() to end()).
 * @typedef {{ input: TraceRecord | undefined, version: number, t: number, rules: RuleAnswer[] }} Mark
 */

/**
 * One framed line for `record`.
 * @param {TraceRecord} record
 */
export function frame(record) {
  const json = JSON.stringify(record);
  return `${byteLength(json)} ${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/**
 * Reads framed records from `text` (a string or a Buffer). Stops at the first line that is torn (ends
 * early) or corrupt (bad length, checksum or JSON).
 * @param {string | Uint8Array} text
 * @returns {{ records: TraceRecord[], validBytes: number, totalBytes: number, problem: string | null }}
 */
export function parseFrames(text) {
  const buffer = typeof text === "string" ? toBytes(text) : text;
  const decode = decoderFor(buffer);
  /** @type {TraceRecord[]} */
  const records = [];
  let offset = 0;
  let problem = null;
  while (offset < buffer.length) {
    const end = readFrame(buffer, offset, records, decode);
    if (typeof end === "string") {
      problem = `record ${records.length + 1} at byte ${offset}: ${end}`;
      break;
    }
    offset = end;
  }
  return { records, validBytes: offset, totalBytes: buffer.length, problem };
}

/**
 * Reads the frame at `offset` into `records`; returns where it ends, or what is wrong with it (torn or
 * corrupt). Checks the length and the checksum on the bytes, before any decoding.
 * @param {Uint8Array} buffer
 * @param {number} offset
 * @param {TraceRecord[]} records
 * @param {(start: number, end: number) => string} decode the text of bytes start to end
 * @returns {number | string}
 */
function readFrame(buffer, offset, records, decode) {
  let length = 0;
  let at = offset;
  for (; at < buffer.length && at - offset <= 12; at++) {
    const digit = buffer[at] - 0x30;
    if (digit < 0 || digit > 9) break;
    length = length * 10 + digit;
  }
  if (at === offset || at - offset > 12 || at >= buffer.length || buffer[at] !== 0x20) return "no length (torn or corrupt)";
  const crcStart = at + 1;
  const jsonStart = crcStart + 9;
  const end = jsonStart + length;
  if (end + 1 > buffer.length) return `torn (${buffer.length - offset} of ${end + 1 - offset} bytes)`;
  const json = buffer.subarray(jsonStart, end);
  if (buffer[crcStart + 8] !== 0x20 || buffer[end] !== 0x0a || hexAt(buffer, crcStart) !== crc32OfBytes(json)) {
    return "checksum mismatch (corrupt)";
  }
  try {
    records.push(JSON.parse(decode(jsonStart, end)));
  } catch {
    return "not JSON (corrupt)";
  }
  return end + 1;
}

/**
 * How parseFrames decodes the text of a record. A journal is mostly ASCII: then (in Node) the whole buffer is
 * decoded once and each record is a slice of it, byte offsets being character offsets.
 * @param {Uint8Array} buffer
 * @returns {(start: number, end: number) => string}
 */
function decoderFor(buffer) {
  if (nodeBufferModule?.isAscii?.(buffer) && NodeBuffer.isBuffer(buffer)) {
    const whole = /** @type {any} */ (buffer).toString("latin1");
    return (start, end) => whole.slice(start, end);
  }
  return (start, end) => utf8(buffer, start, end);
}

/**
 * The number written as 8 lower-case hex digits at `at`, or -1 when they are not.
 * @param {Uint8Array} bytes
 * @param {number} at
 */
function hexAt(bytes, at) {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const c = bytes[i];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The headers the core reads (`names`: core.requestHeaderNames()), lower-case: the only ones recorded, never
 * authorization.
 * @param {readonly string[]} names
 * @param {unknown} headers
 * @returns {Record<string, unknown>}
 */
function coreHeaders(names, headers) {
  /** @type {Record<string, unknown>} */
  const out = {};
  if (headers == null || typeof headers !== "object") return out;
  const record = /** @type {Record<string, unknown>} */ (headers);
  for (const name of Object.keys(record)) {
    const lower = name.toLowerCase();
    if (names.includes(lower) && record[name] !== undefined) out[lower] = record[name];
  }
  return out;
}

/**
 * What a Recorder asks of its emulator: no more than these (RouterEmulator._recorderForSinks() binds them).
 * @typedef {object} RecorderHost
 * @property {() => import("./core-adapter.js").Core | null} core the emulator's core (null until its first use)
 * @property {() => boolean} disposed whether the emulator was disposed
 * @property {(listener: () => void) => void} listen adds a listener of every event (events are then parsed)
 * @property {(listener: () => void) => void} unlisten removes it
 * @property {() => void} detach the recorder has no sink left: the emulator stops recording
 */

/**
 * Watches one emulator (its recorder: RouterEmulator._recorderForSinks()) and turns the inputs that changed it
 * into records, given to each sink: `{ write(record), outputs }` (outputs: also requests that changed nothing,
 * with responses and events).
 */
export class Recorder {
  /** @param {RecorderHost} host */
  constructor(host) {
    this._host = host;
    /** @type {Sink[]} */
    this.sinks = [];
    /** @type {RuleAnswer[]} rule answers given outside a run (importState) */
    this._loose = [];
    /** @type {(() => void) | null} */
    this._listener = null;
    /** @type {Mark | null} the run going on */
    this._current = null;
  }

  /**
   * @param {{ write: (record: TraceRecord) => void, outputs?: boolean, startAt?: number }} sink
   * @returns {Sink}
   */
  addSink(sink) {
    const entry = { write: sink.write, outputs: Boolean(sink.outputs), n: sink.startAt ?? 0 };
    this.sinks.push(entry);
    this._updateListener();
    return entry;
  }

  /** @param {Sink} entry */
  removeSink(entry) {
    this.sinks = this.sinks.filter((s) => s !== entry);
    this._updateListener();
    if (this.sinks.length === 0) this._host.detach();
  }

  /** Events are parsed only while a listener exists: a trace with outputs needs them. */
  _updateListener() {
    const want = this.sinks.some((s) => s.outputs);
    if (want && this._listener === null && !this._host.disposed()) {
      this._listener = () => {};
      this._host.listen(this._listener);
    } else if (!want && this._listener !== null) {
      if (!this._host.disposed()) this._host.unlisten(this._listener);
      this._listener = null;
    }
  }

  _version() {
    const core = this._host.core();
    return core ? core.stateVersion() : -1;
  }

  /**
   * Called by _runNow before the clock sync: the state version before anything happens.
   * @param {TraceRecord | undefined} input
   * @returns {Mark}
   */
  begin(input) {
    const mark = { input, version: this._version(), t: 0, rules: this._takeLoose() };
    this._current = mark;
    return mark;
  }

  /**
   * A rule answer given to the core (async: the settled answer of an async function).
   * @param {string} requestId
   * @param {string} value
   * @param {string} error
   * @param {boolean} async
   */
  answer(requestId, value, error, async) {
    /** @type {RuleAnswer} */
    const entry = async ? [requestId, value, error, 1] : [requestId, value, error];
    if (this._current) this._current.rules.push(entry);
    else this._loose.push(entry);
  }

  /**
   * Called by _runNow after the run's events were drained.
   * @param {Mark} mark
   * @param {object[]} events
   */
  end(mark, events) {
    this._current = null;
    const core = /** @type {import("./core-adapter.js").Core} */ (this._host.core());
    const changed = this._version() !== mark.version;
    const to = core.nowMillis();
    const input = mark.input;
    /** @type {TraceRecord} */
    let record;
    if (input && input.k === "req") {
      record = { k: "req", t: mark.t, m: input.m, p: input.p, h: input.h, b: input.b };
    } else {
      if (!changed && to === mark.t && mark.rules.length === 0) return;
      record = { k: "run", t: mark.t, to };
    }
    if (mark.rules.length) record.rules = mark.rules;
    this._emit(record, changed || mark.rules.length > 0 || record.k === "run", input, events);
  }

  /**
   * @param {TraceRecord} record
   * @param {boolean} changed
   * @param {TraceRecord | null | undefined} input
   * @param {object[]} events
   */
  _emit(record, changed, input, events) {
    for (const sink of this.sinks) {
      if (!changed && !sink.outputs) continue;
      sink.n += 1;
      /** @type {TraceRecord} */
      const out = { n: sink.n, ...record };
      if (sink.outputs) {
        if (input && input.res) out.res = input.res;
        out.ev = events ?? [];
      }
      sink.write(out);
    }
  }

  /**
   * The input of a REST call (put on the run's action as action.input); its headers (`h`) are set by the action,
   * with recordedHeaders(), once the core is there.
   * @param {string} verb
   * @param {string} target
   * @param {string} body
   * @returns {{ k: "req", m: string, p: string, h: Record<string, unknown>, b: string, res?: object }}
   */
  static requestInput(verb, target, body) {
    return { k: "req", m: verb, p: target, h: {}, b: body };
  }

  /**
   * The headers of a request that are recorded: those the core reads.
   * @param {readonly string[]} names core.requestHeaderNames()
   * @param {unknown} headers
   */
  static recordedHeaders(names, headers) {
    return coreHeaders(names, headers);
  }

  /**
   * emulator.reset() happened; `router` is at the reset's time.
   * @param {import("./core-adapter.js").Core} router
   */
  reset(router) {
    this._current = null;
    this._emit({ k: "reset", to: router.nowMillis() }, true, null, []);
  }

  /**
   * A run whose action threw never reached end(); runs are synchronous, so outside one (reset, importState)
   * a _current left over is such a run: the answers given since belong to the caller.
   */
  /** @returns {RuleAnswer[]} */
  _takeLoose() {
    const rules = this._current ? [...this._loose, ...this._current.rules] : this._loose;
    this._current = null;
    this._loose = [];
    return rules;
  }

  /**
   * emulator.importState(text) happened.
   * @param {string} text
   * @param {import("./core-adapter.js").Core} router
   */
  imported(text, router) {
    /** @type {TraceRecord} */
    const record = { k: "import", state: text, to: router.nowMillis() };
    const rules = this._takeLoose();
    if (rules.length) record.rules = rules;
    this._emit(record, true, null, []);
  }

  /**
   * The clock's mode or speed changed (kept so that a restart can restore them).
   * @param {string} mode
   * @param {number} speed
   */
  clockMode(mode, speed) {
    this._emit({ k: "mode", mode, speed }, true, null, []);
  }

  /**
   * The fault settings changed (faults.get()); kept so that a restart can restore them.
   * @param {object} config
   */
  faults(config) {
    this._emit({ k: "faults", config }, true, null, []);
  }
}

/**
 * The trace header: the emulator's options and its state when the recording started.
 * @param {import("./emulator.js").RouterEmulator} emulator
 */
export function traceHeader(emulator) {
  const o = emulator.options;
  return {
    k: "head",
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    options: {
      seed: o.seed,
      checkApiVersion: o.checkApiVersion,
      errorShape: o.errorShape,
      eventLabelText: o.eventLabelText,
    },
    clock: { mode: emulator.clock.mode, speed: emulator.clock.speed },
    state: emulator.exportState(),
  };
}

/**
 * Starts recording `emulator` into a trace. Returns `{ stop(), text(), records }`: without a `write` sink,
 * lines are collected in memory and `stop()` returns the trace text.
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {{ write?: (line: string) => void, outputs?: boolean }} [options]
 */
export function startRecording(emulator, options = {}) {
  /** @type {string[]} */
  const lines = [];
  const write = options.write ?? ((line) => lines.push(line));
  write(frame(traceHeader(emulator)));
  const recorder = emulator._recorderForSinks();
  let count = 0;
  const sink = recorder.addSink({
    outputs: options.outputs !== false,
    write: (/** @type {TraceRecord} */ record) => {
      count += 1;
      write(frame(record));
    },
  });
  let stopped = false;
  return {
    get records() {
      return count;
    },
    text: () => lines.join(""),
    stop() {
      if (!stopped) {
        stopped = true;
        recorder.removeSink(sink);
      }
      return lines.join("");
    },
  };
}

/** @param {unknown} value */
function stableJson(value) {
  return JSON.stringify(value);
}

/**
 * Where two JSON texts first differ, as a short excerpt.
 * @param {string} expected
 * @param {string} actual
 */
function firstDifference(expected, actual) {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const cut = (/** @type {string} */ s) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 80));
  return `at character ${i}: expected …${cut(expected)}…, got …${cut(actual)}…`;
}

/**
 * What a replay asks of its emulator beyond the public API (RouterEmulator._replayHost() binds them).
 * @typedef {object} ReplayHost
 * @property {(answerRules: Function) => () => void} begin the replay starts: the clock is held at the records'
 *   times (a real clock pauses), nothing is recorded, and `answerRules` answers every function and webhook rule;
 *   returns what ends it (everything as it was)
 * @property {(action: (core: import("./core-adapter.js").Core) => void) => Promise<void>} run runs `action` on the
 *   core, in turn with requests, and delivers the events it published
 * @property {() => void} requestReplayed a request went to the core directly: cached GET answers are stale
 * @property {() => import("./core-adapter.js").Core} useCore the core, loaded
 */

/**
 * Replays records (from parseFrames) into `emulator`, which must be at the state the records start from.
 * The emulator's clock is driven by the records' times (a real clock is paused meanwhile). Function and
 * webhook rules are answered from the records, not called.
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {TraceRecord[]} records
 * @param {{ until?: number, verify?: boolean, onRecord?: (record: object) => void }} [options]
 * @returns {Promise<{ applied: number, last: number, mismatch: null | { n: number, what: string, detail: string },
 *   mode?: object, faults?: object }>}
 */
export async function replayRecords(emulator, records, options = {}) {
  const { until = Infinity, verify = false } = options;
  const host = emulator._replayHost();
  /** @type {ReplayState} */
  const state = { current: null, events: [], mode: undefined, faults: undefined };
  const end = host.begin(recordedAnswers(state));
  const collect = (/** @type {object} */ event) => {
    state.events.push(event);
  };
  if (verify) emulator.on("*", collect);
  let applied = 0;
  let last = 0;
  /** @type {null | { n: number, what: string, detail: string }} */
  let mismatch = null;
  try {
    for (const record of records) {
      if (record.k === "head") continue;
      if (record.n > until) break;
      state.current = record;
      state.events = [];
      const response = await applyRecord(emulator, host, record, state);
      applied += 1;
      last = record.n;
      options.onRecord?.(record);
      if (verify) mismatch = differenceFromRecord(record, response, state.events);
      if (mismatch !== null) break;
    }
  } finally {
    if (verify) emulator.off("*", collect);
    end();
  }
  return { applied, last, mismatch, mode: state.mode, faults: state.faults };
}

/**
 * What a replay keeps between records.
 * @typedef {{ current: TraceRecord | null, events: object[], mode?: { mode: string, speed: number },
 *   faults?: object }} ReplayState
 */

/**
 * The host function of a replay: function/webhook rules are answered from the current record's answers, not
 * called (an answer given later, by an async answer record, never settles here).
 * @param {ReplayState} state
 */
function recordedAnswers(state) {
  const never = new Promise(() => {});
  return (/** @type {unknown} */ _payload, /** @type {{ requestId: string }} */ context) => {
    const entry = state.current?.rules?.find((/** @type {RuleAnswer} */ r) => r[0] === context.requestId && r[3] !== 1);
    if (!entry) return never;
    if (entry[2]) throw new Error(entry[2]);
    return JSON.parse(entry[1]);
  };
}

/**
 * Moves the core's clock to the virtual time `t` of a record (never back).
 * @param {import("./core-adapter.js").Core} core
 * @param {number | undefined} t
 */
function advanceTo(core, t) {
  if (typeof t === "number" && t > core.nowMillis()) core.advance(t - core.nowMillis());
}

/**
 * Applies one record to the emulator; resolves to the response of a request record (else undefined).
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {ReplayHost} host the emulator's
 * @param {Record<string, any>} record
 * @param {{ mode?: object, faults?: object }} state takes the clock mode and fault settings of the records
 */
async function applyRecord(emulator, host, record, state) {
  let response;
  switch (record.k) {
    case "req":
      await host.run((core) => {
        advanceTo(core, record.t);
        response = core.handle(record.m, record.p, record.h ?? {}, record.b ?? "");
      });
      host.requestReplayed();
      break;
    case "run":
      await host.run((core) => {
        advanceTo(core, record.t);
        for (const rule of record.rules ?? []) {
          if (rule[3] === 1) core.answerRuleRequest(rule[0], rule[1] ?? "", rule[2] ?? "");
        }
        advanceTo(core, record.to);
      });
      break;
    case "reset": {
      emulator.reset();
      const core = host.useCore();
      if (record.to > core.nowMillis()) core.setTime(new Date(record.to).toISOString());
      break;
    }
    case "import":
      emulator.importState(record.state);
      break;
    case "mode":
      state.mode = { mode: record.mode, speed: record.speed };
      break;
    case "faults":
      state.faults = record.config;
      break;
    default:
      throw new Error(`record ${record.n}: unknown kind ${JSON.stringify(record.k)}`);
  }
  return response;
}

/**
 * Where a replayed record's response or events differ from those the trace holds, or null.
 * @param {Record<string, any>} record
 * @param {object | undefined} response
 * @param {object[]} events
 * @returns {null | { n: number, what: string, detail: string }}
 */
function differenceFromRecord(record, response, events) {
  if (record.res !== undefined) {
    const expected = stableJson(record.res);
    const actual = stableJson(response);
    if (expected !== actual) return { n: record.n, what: "response", detail: firstDifference(expected, actual) };
  }
  if (record.ev !== undefined) {
    const expected = stableJson(record.ev);
    const actual = stableJson(events);
    if (expected !== actual) return { n: record.n, what: "events", detail: firstDifference(expected, actual) };
  }
  return null;
}

/**
 * Applies the clock mode and fault settings a replay ended with (replayRecords' `mode` and `faults`): they
 * are not part of the core's state, and requests are replayed past the faults.
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {{ mode?: { mode: string, speed: number }, faults?: object }} settings
 */
export function applySettings(emulator, { mode, faults }) {
  if (mode) {
    if (mode.speed !== emulator.clock.speed) emulator.clock.setSpeed(mode.speed);
    if (mode.mode !== emulator.clock.mode) emulator.clock.setMode(/** @type {"real" | "manual"} */ (mode.mode));
  }
  if (faults) configureFaults(emulator.faults, faults);
}

/**
 * Parses a trace (text or Buffer): its header and records. Throws for a text that is not a trace.
 * @param {string | Uint8Array} trace
 */
export function parseTrace(trace) {
  const parsed = parseFrames(trace);
  const head = parsed.records[0];
  if (!head || head.k !== "head" || head.format !== TRACE_FORMAT) {
    throw new Error(`not a ${TRACE_FORMAT} file${parsed.problem ? ` (${parsed.problem})` : ""}`);
  }
  if (head.version !== TRACE_VERSION) throw new Error(`trace version ${head.version} is not supported (this emulator reads ${TRACE_VERSION})`);
  return { head, records: parsed.records.slice(1), problem: parsed.problem };
}

/**
 * Builds an emulator from a trace's header and replays the trace into it.
 * @param {typeof import("./emulator.js").RouterEmulator} RouterEmulatorClass
 * @param {string | Uint8Array} trace
 * @param {{ until?: number, verify?: boolean, onRecord?: (record: object) => void }} [options]
 */
export async function replayTrace(RouterEmulatorClass, trace, options = {}) {
  const { head, records, problem } = parseTrace(trace);
  const emulator = new RouterEmulatorClass({ ...head.options, clock: "manual" });
  await emulator.ready();
  emulator.importState(head.state);
  const result = await replayRecords(emulator, records, options);
  return { emulator, records: records.length, ...result, problem };
}
