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
// (IEEE, as zlib computes it) over the UTF-8 bytes.
const nodeZlib = globalThis.process?.getBuiltinModule?.("node:zlib");
const NodeBuffer = globalThis.Buffer;
// created on first use: some environments (jest + jsdom) have no TextEncoder, and most never record
let textEncoder = null;
let textDecoder = null;
const encode = (text) => (textEncoder ??= new TextEncoder()).encode(text);
let crcTable = null;
function crc32Bytes(bytes) {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
const crc32 = typeof nodeZlib?.crc32 === "function" ? (text) => nodeZlib.crc32(text) : (text) => crc32Bytes(encode(text));
const byteLength = NodeBuffer ? (text) => NodeBuffer.byteLength(text) : (text) => encode(text).length;
const toBytes = (text) => (NodeBuffer ? NodeBuffer.from(text, "utf8") : encode(text));
const latin1 = (bytes, start, end) => String.fromCharCode(...bytes.subarray(start, end));
const utf8 = (bytes, start, end) => (NodeBuffer && NodeBuffer.isBuffer(bytes) ? bytes.toString("utf8", start, end)
  : (textDecoder ??= new TextDecoder()).decode(bytes.subarray(start, end)));

/** One framed line for `record`. */
export function frame(record) {
  const json = JSON.stringify(record);
  return `${byteLength(json)} ${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/**
 * Reads framed records from `text` (a string or a Buffer). Stops at the first line that is torn (ends
 * early) or corrupt (bad length, checksum or JSON).
 * @returns {{ records: object[], validBytes: number, totalBytes: number, problem: string | null }}
 */
export function parseFrames(text) {
  const buffer = typeof text === "string" ? toBytes(text) : text;
  const records = [];
  let offset = 0;
  let problem = null;
  while (offset < buffer.length) {
    const space1 = buffer.indexOf(0x20, offset);
    const lengthText = space1 < 0 || space1 - offset > 12 ? "" : latin1(buffer, offset, space1);
    if (space1 < 0 || space1 - offset > 12 || !/^\d+$/.test(lengthText)) {
      problem = `record ${records.length + 1} at byte ${offset}: no length (torn or corrupt)`;
      break;
    }
    const length = Number(lengthText);
    const crcStart = space1 + 1;
    const jsonStart = crcStart + 9;
    const end = jsonStart + length;
    if (end + 1 > buffer.length) {
      problem = `record ${records.length + 1} at byte ${offset}: torn (${buffer.length - offset} of ${end + 1 - offset} bytes)`;
      break;
    }
    const crcText = latin1(buffer, crcStart, crcStart + 8);
    const json = utf8(buffer, jsonStart, end);
    if (buffer[crcStart + 8] !== 0x20 || buffer[end] !== 0x0a ||
        crc32(json).toString(16).padStart(8, "0") !== crcText) {
      problem = `record ${records.length + 1} at byte ${offset}: checksum mismatch (corrupt)`;
      break;
    }
    let record;
    try {
      record = JSON.parse(json);
    } catch {
      problem = `record ${records.length + 1} at byte ${offset}: not JSON (corrupt)`;
      break;
    }
    records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: offset, totalBytes: buffer.length, problem };
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
 * Watches one emulator (emulator._recorder) and turns the inputs that changed it into records, given to
 * each sink: `{ write(record), outputs }` (outputs: also requests that changed nothing, with responses and
 * events).
 */
export class Recorder {
  constructor(emulator) {
    this._emulator = emulator;
    /** @type {{ write: (record: object) => void, outputs: boolean, n: number }[]} */
    this.sinks = [];
    this._loose = [];  // rule answers given outside a run (importState)
    this._listener = null;
  }

  addSink(sink) {
    const entry = { write: sink.write, outputs: Boolean(sink.outputs), n: sink.startAt ?? 0 };
    this.sinks.push(entry);
    this._updateListener();
    return entry;
  }

  removeSink(entry) {
    this.sinks = this.sinks.filter((s) => s !== entry);
    this._updateListener();
    if (this.sinks.length === 0 && this._emulator._recorder === this) this._emulator._recorder = undefined;
  }

  /** Events are parsed only while a listener exists: a trace with outputs needs them. */
  _updateListener() {
    const want = this.sinks.some((s) => s.outputs);
    if (want && this._listener === null && !this._emulator.disposed) {
      this._listener = () => {};
      this._emulator.on("*", this._listener);
    } else if (!want && this._listener !== null) {
      if (!this._emulator.disposed) this._emulator.off("*", this._listener);
      this._listener = null;
    }
  }

  _version() {
    const core = this._emulator._core;
    return core ? core.stateVersion() : -1;
  }

  /** Called by _runNow before the clock sync: the state version before anything happens. */
  begin(input) {
    const mark = { input, version: this._version(), t: 0, rules: this._takeLoose() };
    this._current = mark;
    return mark;
  }

  /** A rule answer given to the core (async: the settled answer of an async function). */
  answer(requestId, value, error, async) {
    const entry = async ? [requestId, value, error, 1] : [requestId, value, error];
    if (this._current) this._current.rules.push(entry);
    else this._loose.push(entry);
  }

  /** Called by _runNow after the run's events were drained. */
  end(mark, events) {
    this._current = null;
    const router = this._emulator._core;
    const changed = this._version() !== mark.version;
    const to = router.nowMillis();
    const input = mark.input;
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

  _emit(record, changed, input, events) {
    for (const sink of this.sinks) {
      if (!changed && !sink.outputs) continue;
      sink.n += 1;
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

  /** emulator.reset() happened; `router` is at the reset's time. */
  reset(router) {
    this._current = null;
    this._emit({ k: "reset", to: router.nowMillis() }, true, null, []);
  }

  /**
   * A run whose action threw never reached end(); runs are synchronous, so outside one (reset, importState)
   * a _current left over is such a run: the answers given since belong to the caller.
   */
  _takeLoose() {
    const rules = this._current ? [...this._loose, ...this._current.rules] : this._loose;
    this._current = null;
    this._loose = [];
    return rules;
  }

  /** emulator.importState(text) happened. */
  imported(text, router) {
    const record = { k: "import", state: text, to: router.nowMillis() };
    const rules = this._takeLoose();
    if (rules.length) record.rules = rules;
    this._emit(record, true, null, []);
  }

  /** The clock's mode or speed changed (kept so that a restart can restore them). */
  clockMode(mode, speed) {
    this._emit({ k: "mode", mode, speed }, true, null, []);
  }

  /** The fault settings changed (faults.get()); kept so that a restart can restore them. */
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
  const lines = [];
  const write = options.write ?? ((line) => lines.push(line));
  write(frame(traceHeader(emulator)));
  const recorder = emulator._recorder ?? new Recorder(emulator);
  emulator._recorder = recorder;
  let count = 0;
  const sink = recorder.addSink({
    outputs: options.outputs !== false,
    write: (record) => {
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

function stableJson(value) {
  return JSON.stringify(value);
}

/** Where two JSON texts first differ, as a short excerpt. */
function firstDifference(expected, actual) {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const cut = (s) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 80));
  return `at character ${i}: expected …${cut(expected)}…, got …${cut(actual)}…`;
}

/**
 * Replays records (from parseFrames) into `emulator`, which must be at the state the records start from.
 * The emulator's clock is driven by the records' times (a real clock is paused meanwhile). Function and
 * webhook rules are answered from the records, not called.
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {object[]} records
 * @param {{ until?: number, verify?: boolean, onRecord?: (record: object) => void }} [options]
 * @returns {Promise<{ applied: number, last: number, mismatch: null | { n: number, what: string, detail: string },
 *   mode?: object }>}
 */
export async function replayRecords(emulator, records, options = {}) {
  const { until = Infinity, verify = false } = options;
  const restoreClock = emulator.clock._holdForReplay();
  const savedFunctions = emulator._functions;
  const savedRecorder = emulator._recorder;
  emulator._recorder = undefined;
  emulator._stopTicker();
  const state = { current: null, events: [], mode: undefined, faults: undefined };
  emulator._functions = new Map([["*", recordedAnswers(state)]]);
  const collect = (event) => {
    state.events.push(event);
  };
  if (verify) emulator.on("*", collect);
  let applied = 0;
  let last = 0;
  let mismatch = null;
  try {
    for (const record of records) {
      if (record.k === "head") continue;
      if (record.n > until) break;
      state.current = record;
      state.events = [];
      const response = await applyRecord(emulator, record, state);
      applied += 1;
      last = record.n;
      options.onRecord?.(record);
      if (verify) mismatch = differenceFromRecord(record, response, state.events);
      if (mismatch !== null) break;
    }
  } finally {
    if (verify) emulator.off("*", collect);
    emulator._functions = savedFunctions;
    emulator._recorder = savedRecorder;
    restoreClock();
    emulator._updateTicker();
  }
  return { applied, last, mismatch, mode: state.mode, faults: state.faults };
}

/**
 * The host function of a replay: function/webhook rules are answered from the current record's answers, not
 * called (an answer given later, by an async answer record, never settles here).
 * @param {{ current: object | null }} state
 */
function recordedAnswers(state) {
  const never = new Promise(() => {});
  return (_payload, context) => {
    const entry = state.current?.rules?.find((r) => r[0] === context.requestId && r[3] !== 1);
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
 * @param {Record<string, any>} record
 * @param {{ mode?: object, faults?: object }} state takes the clock mode and fault settings of the records
 */
async function applyRecord(emulator, record, state) {
  let response;
  switch (record.k) {
    case "req":
      await emulator._run((core) => {
        advanceTo(core, record.t);
        response = core.handle(record.m, record.p, record.h ?? {}, record.b ?? "");
      });
      emulator._getCache.clear();
      break;
    case "run":
      await emulator._run((core) => {
        advanceTo(core, record.t);
        for (const rule of record.rules ?? []) {
          if (rule[3] === 1) core.answerRuleRequest(rule[0], rule[1] ?? "", rule[2] ?? "");
        }
        advanceTo(core, record.to);
      });
      break;
    case "reset": {
      emulator.reset();
      const core = emulator._useCore();
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
 */
export function applySettings(emulator, { mode, faults }) {
  if (mode) {
    if (mode.speed !== emulator.clock.speed) emulator.clock.setSpeed(mode.speed);
    if (mode.mode !== emulator.clock.mode) emulator.clock.setMode(mode.mode);
  }
  if (faults) configureFaults(emulator.faults, faults);
}

/**
 * Parses a trace (text or Buffer): its header and records. Throws for a text that is not a trace.
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
 */
export async function replayTrace(RouterEmulatorClass, trace, options = {}) {
  const { head, records, problem } = parseTrace(trace);
  const emulator = new RouterEmulatorClass({ ...head.options, clock: "manual" });
  await emulator.ready();
  emulator.importState(head.state);
  const result = await replayRecords(emulator, records, options);
  return { emulator, records: records.length, ...result, problem };
}
