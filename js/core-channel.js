// @ts-check
// Requests to one core Router and its events, passed through the module's memory.
//
// embind's std::string conversion walks every byte of every string in JS, in both directions; for a request
// that was the largest cost outside the core. Here the request's fields are written into a buffer inside the
// module with TextEncoder.encodeInto, the core writes its answer into an output record (wasm/bindings.cpp
// describes the layout) and TextDecoder reads it back. Very large requests, and every request where the runtime
// has no text codecs, take embind's path, with the same results.
//
// Internal module of js/core-adapter.js (the only user): not part of the package's public API.

import { currentPlatform } from "./core-loader.js";
import { newKeyCache, tapeKindsMatch, valuesOfTape } from "./json-tape.js";

// Requests longer than this (UTF-16 code units, all fields together) take embind's path: the buffer would have to
// hold three bytes per code unit, and the core refuses bodies above 256 KiB anyway.
const MAX_BUFFERED_CHARS = 1 << 20;
const RECORD_HEADER_BYTES = 20;
/** _readRecord decodes headers and body at once up to this body size (a job's body is about 1 KB). */
const JOINT_DECODE_MAX_BODY_BYTES = 4096;
// Response headers' texts whose parse is kept (CoreChannel._readResponse).
const HEADER_TEXTS_KEPT = 4;

// Made on first use, from the platform's codecs (Node's under jest's jsdom environment, which has none).
/** @type {TextEncoder | null} */
let encoder = null;
/** @type {TextDecoder | null} */
let decoder = null;

/** true when the text codecs exist (else every request takes embind's path). */
function haveCodecs() {
  if (encoder === null) {
    const { TextEncoder: Encoder, TextDecoder: Decoder } = currentPlatform();
    if (typeof Encoder !== "function" || typeof Decoder !== "function") return false;
    encoder = new Encoder();
    decoder = new Decoder("utf-8", { ignoreBOM: true });
  }
  return true;
}

/**
 * The headers the core reads (`names`: Module.requestHeaderNames(), in handleBuffered's order), by lower-case
 * name (the last of several spellings wins), when all of them are strings or absent; null when one has another
 * type (number, array, boolean, object...): such requests go through the bindings' JSON header parser, which
 * alone decides how those are spelled.
 * @param {readonly string[]} names
 * @param {unknown} headers
 * @returns {(string | undefined)[] | null}
 */
function coreHeaders(names, headers) {
  /** @type {(string | undefined)[]} */
  const values = names.map(() => undefined);
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) return values;
  for (const name of Object.keys(headers)) {
    const slot = names.indexOf(name.toLowerCase());
    if (slot < 0) continue;
    const value = /** @type {Record<string, unknown>} */ (headers)[name];
    if (typeof value === "string") values[slot] = value;
    else if (value !== undefined) return null;
  }
  return values;
}

/**
 * The headers' JSON text for the bindings' parser (all of them, as given; BigInts as their digits).
 * @param {unknown} headers
 */
function headersJson(headers) {
  return JSON.stringify(headers ?? {}, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * true when every value of `record` is a string (a spread copy of it then shares nothing with it).
 * @param {Record<string, unknown>} record
 */
function stringValues(record) {
  for (const name of Object.keys(record)) if (typeof record[name] !== "string") return false;
  return true;
}

/** @type {WeakMap<object, boolean>} module -> whether its tape kinds are json-tape.js's */
const tapeKindsChecked = new WeakMap();

/** @param {import("./core-loader.js").CoreModule} module */
function moduleTapeKindsMatch(module) {
  let match = tapeKindsChecked.get(module);
  if (match === undefined) {
    match = tapeKindsMatch(module.jsonTapeKinds());
    tapeKindsChecked.set(module, match);
  }
  return match;
}

/**
 * The parsed events of a JSON array text (none for an empty text).
 * @param {string} text
 * @returns {Record<string, any>[]}
 */
function eventsOfText(text) {
  if (!text || text === "[]") return [];
  const events = JSON.parse(text);
  return Array.isArray(events) ? events : [];
}

/**
 * Two lists of events as one (the first one itself when the second is empty).
 * @param {Record<string, any>[]} first
 * @param {Record<string, any>[]} second
 */
function joined(first, second) {
  if (second.length === 0) return first;
  return first.length === 0 ? second : first.concat(second);
}

/** @param {Uint8Array} heap @param {number} at */
function readUint32(heap, at) {
  return (heap[at] | (heap[at + 1] << 8) | (heap[at + 2] << 16) | (heap[at + 3] << 24)) >>> 0;
}

/**
 * An embind response ({status, headers: JSON text, body}) as JS uses it.
 * @param {{ status: number, headers: string, body: string }} raw
 * @returns {{ status: number, headers: Record<string, string>, body: string }}
 */
export function responseOf(raw) {
  return { status: Number(raw.status), headers: parseHeadersText(raw.headers), body: raw.body ?? "" };
}

/**
 * @param {string} text
 * @returns {Record<string, string>}
 */
function parseHeadersText(text) {
  try {
    const parsed = text ? JSON.parse(text) : {};
    return parsed !== null && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

// the largest input buffer the bindings make (inputBuffer clamps to it); a larger state takes embind's path
const MAX_IMPORT_BUFFER_BYTES = 1e9;

export class CoreChannel {
  /**
   * @param {import("./core-loader.js").CoreModule} module the loaded core module (its HEAPU8 view is read after
   *   every call)
   * @param {import("./core-loader.js").EmbindRouter} router
   * @param {readonly string[]} headerNames Module.requestHeaderNames()
   * @param {boolean} [buffered] false: embind's calls only (else the buffered path whenever the runtime has text
   *   codecs)
   */
  constructor(module, router, headerNames, buffered = true) {
    this.router = router;
    this._module = module;
    this._headerNames = headerNames;
    this._buffered = buffered && haveCodecs();
    // Events come with their text's tape (json-tape.js) when the module's tape kinds are ours.
    this._tape = this._buffered && moduleTapeKindsMatch(module);
    /** the events' literal keys by address (valuesOfTape) */
    this._tapeKeys = newKeyCache();
    // What the last buffered request left to drain (its record's drain fields, wasm/bindings.cpp): whether that is
    // still all there is (no other call into the router since), whether rule requests wait, and the address of the
    // tape record of the events it took (0: none, or they were read).
    this._drainKnown = false;
    this._rulesWaiting = true;
    this._takenEvents = 0;
    /** @type {Record<string, any>[]} events taken with an earlier request and not drained before the next one */
    this._carried = [];
    // Where the core keeps stateVersion() (0: ask the router each time).
    this._versionAddress = this._buffered ? router.stateVersionAddress() : 0;
    this._input = 0;  // address of the input buffer
    this._capacity = 0;
    /** @type {Uint8Array | null} the input buffer's view (_inputView) */
    this._view = null;
    /** @type {Uint8Array | null} the memory view _view was made from */
    this._viewHeap = null;
    /**
     * The last few response headers' JSON texts and their parse (never handed out; _readResponse).
     * @type {{ text: string, headers: Record<string, string> }[]}
     */
    this._headersSeen = [];
    this._headersNext = 0;  // the entry of _headersSeen replaced next
  }

  /**
   * One request. `headers`: any object (only content-type, if-match and if-unmodified-since reach the core;
   * a value that is not a string is read as the bindings read JSON: numbers and booleans as their JSON text,
   * arrays of strings joined with ", ", anything else left out).
   * @param {string} method
   * @param {string} target
   * @param {unknown} headers
   * @param {string} body
   * @returns {{status: number, headers: Record<string, string>, body: string}}
   */
  handle(method, target, headers, body) {
    if (this._buffered) {
      const response = this._handleBuffered(method, target, headers, body);
      if (response !== null) return response;
    }
    return responseOf(this.router.handle(method, target, headersJson(headers), body));
  }

  /**
   * Takes the events the core has collected: the parsed events (JSON.parse of their JSON array text gives equal
   * values), or none when `wanted` is false (they are dropped without being decoded).
   * @param {boolean} wanted
   * @returns {Record<string, any>[]}
   */
  drainEvents(wanted) {
    let events = this._carried;
    if (events.length > 0) this._carried = [];
    if (this._takenEvents !== 0) {
      if (wanted) events = joined(events, this._readTape(this._takenEvents));
      this._takenEvents = 0;
    }
    // (events taken with the last request are all there are while nothing else ran since)
    if (!this._drainKnown) events = joined(events, this._drainFromRouter(wanted));
    return wanted ? events : [];
  }

  /**
   * A call into the router other than through this channel (it may publish events or raise rule requests): the
   * next drains ask the router.
   */
  noteOtherCall() {
    this._drainKnown = false;
  }

  /**
   * The router's collected events (none when not `wanted`: dropped undecoded).
   * @param {boolean} wanted
   * @returns {Record<string, any>[]}
   */
  _drainFromRouter(wanted) {
    if (wanted && this._tape) {
      const record = this.router.drainEventsTape();
      if (record !== 0) return this._readTape(record);
    }
    if (this._buffered) {
      const record = this.router.drainEventsBuffered();
      if (record !== 0) return wanted ? eventsOfText(this._readArray(record)) : [];
    }
    const text = this.router.drainEvents();
    return wanted ? eventsOfText(text) : [];
  }

  /**
   * The events of a tape record (wasm/bindings.cpp): built from the tape when the text is ASCII (the tape's
   * offsets are bytes), else parsed.
   * @param {number} address
   * @returns {Record<string, any>[]}
   */
  _readTape(address) {
    const heap = this._module.HEAPU8;
    const entries = readUint32(heap, address);
    const bytes = readUint32(heap, address + 8);
    const textStart = address + RECORD_HEADER_BYTES;
    if (bytes === 2 && heap[textStart] === 0x5b && heap[textStart + 1] === 0x5d) return [];
    const text = /** @type {TextDecoder} */ (decoder).decode(heap.subarray(textStart, textStart + bytes));
    if (text.length !== bytes || entries === 0) return eventsOfText(text);
    const wordsAddress = readUint32(heap, address + 4);
    return /** @type {Record<string, any>[]} */ (valuesOfTape(text, this._module.HEAP32, wordsAddress >>> 2, entries, this._tapeKeys));
  }

  /** The core's stateVersion(), read from the module's memory when it can be. */
  stateVersion() {
    if (this._versionAddress !== 0) {
      const heap = this._module.HEAPU8;
      return readUint32(heap, this._versionAddress) + readUint32(heap, this._versionAddress + 4) * 2 ** 32;
    }
    return this.router.stateVersion();
  }

  /** Takes the core's pending function/webhook rule requests: their JSON array text. */
  drainRuleRequests() {
    if (this._drainKnown && !this._rulesWaiting) return "[]";
    this._drainKnown = false;
    if (this._buffered) {
      const record = this.router.drainRuleRequestsBuffered();
      if (record !== 0) return this._readArray(record);
    }
    return this.router.drainRuleRequests();
  }

  /**
   * handle() through the module's memory; null when the request must take embind's path.
   * @param {string} method
   * @param {string} target
   * @param {unknown} headers
   * @param {string} body
   * @returns {{status: number, headers: Record<string, string>, body: string} | null}
   */
  _handleBuffered(method, target, headers, body) {
    this._keepTakenEvents();
    const picked = coreHeaders(this._headerNames, headers);
    if (picked === null) return null;
    if (picked.length === 3) {
      const response = this._handleAscii(method, target, picked[0], picked[1], picked[2], body);
      if (response !== null) return response;
    }
    const fields = [method, target, ...picked, body];
    let chars = 0;
    for (const field of fields) if (field !== undefined) chars += field.length;
    if (chars > MAX_BUFFERED_CHARS) return null;
    const lengths = fields.map(() => -1);
    // ASCII needs one byte per code unit; anything else at most three. Try with what the buffer has, grow once.
    if (!this._write(fields, lengths, chars)) {
      this._grow(chars * 3 + 16);
      if (this._input === 0 || !this._write(fields, lengths, chars)) return null;
    }
    const record = this.router.handleBuffered(...lengths);
    if (record === 0) return null;
    return this._readResponse(record);
  }

  /** Events taken with the last request and not drained yet are read before the next request replaces them. */
  _keepTakenEvents() {
    if (this._takenEvents !== 0) {
      this._carried = joined(this._carried, this._readTape(this._takenEvents));
      this._takenEvents = 0;
    }
    this._drainKnown = false;
  }

  /**
   * _handleBuffered's usual case: request text that is all ASCII (one byte per code unit) and fits the input
   * buffer is written with one encodeInto, and each field's byte length is its length. null when it is not
   * (nothing was sent to the core: _handleBuffered writes the fields one by one).
   * @param {string} method
   * @param {string} target
   * @param {string | undefined} header0
   * @param {string | undefined} header1
   * @param {string | undefined} header2
   * @param {string} body
   */
  _handleAscii(method, target, header0, header1, header2, body) {
    const text = method + target + (header0 ?? "") + (header1 ?? "") + (header2 ?? "") + body;
    if (text.length > MAX_BUFFERED_CHARS || this._capacity < text.length + 16) return null;
    const { read, written } = /** @type {TextEncoder} */ (encoder).encodeInto(text, this._inputView());
    if (read !== text.length || written !== read) return null;
    const record = this.router.handleBuffered(method.length, target.length, header0 === undefined ? -1 : header0.length,
      header1 === undefined ? -1 : header1.length, header2 === undefined ? -1 : header2.length, body.length);
    if (record === 0) return null;
    return this._readResponse(record);
  }

  /** The input buffer as a view of the module's memory (remade after the memory grew or the buffer moved). */
  _inputView() {
    const heap = this._module.HEAPU8;
    if (this._view === null || this._viewHeap !== heap) {
      this._view = heap.subarray(this._input, this._input + this._capacity);
      this._viewHeap = heap;
    }
    return this._view;
  }

  /**
   * Writes the fields one after another into the input buffer; false when they do not fit.
   * @param {(string | undefined)[]} fields
   * @param {number[]} lengths set to each field's byte length (-1 stays for an absent one)
   * @param {number} chars all fields' UTF-16 code units
   */
  _write(fields, lengths, chars) {
    if (this._capacity < chars + 16) {
      this._grow(Math.max(chars + 16, 4096));
      if (this._input === 0) return false;
    }
    const heap = this._module.HEAPU8;  // read after the last call into the module (memory may have grown)
    const end = this._input + this._capacity;
    let at = this._input;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (field === undefined) continue;
      if (field.length === 0) {
        lengths[i] = 0;
        continue;
      }
      const { read, written } = /** @type {TextEncoder} */ (encoder).encodeInto(field, heap.subarray(at, end));
      if (read < field.length) return false;
      lengths[i] = written;
      at += written;
    }
    return true;
  }

  /**
   * importState() of a state's text or UTF-8 bytes. Bytes are copied into the module's memory with one set()
   * (embind's string conversion copies them one by one in JS: a sixth of a 60 MB import); the core releases
   * its input buffer afterwards, so the next request makes a new one.
   * @param {string | Uint8Array} state
   */
  importState(state) {
    this.noteOtherCall();
    if (typeof state === "string" || state.length > MAX_IMPORT_BUFFER_BYTES) return this.router.importState(state);
    const address = this.router.inputBuffer(state.length);
    this._input = 0;
    this._capacity = 0;
    this._view = null;
    if (address === 0) return false;  // no memory for it: nothing changed
    this._module.HEAPU8.set(state, address);
    return this.router.importStateBuffered(state.length);
  }

  /** @param {number} bytes */
  _grow(bytes) {
    this._input = this.router.inputBuffer(bytes);
    this._capacity = this._input === 0 ? 0 : bytes;
    this._view = null;
  }

  /**
   * The body of a record holding a JSON array; the usual empty one without decoding.
   * @param {number} address
   */
  _readArray(address) {
    const heap = this._module.HEAPU8;
    const bodyStart = address + RECORD_HEADER_BYTES + readUint32(heap, address + 4);
    if (readUint32(heap, address + 8) === 2 && heap[bodyStart] === 0x5b && heap[bodyStart + 1] === 0x5d) return "[]";
    return this._readRecord(address).body;
  }

  /**
   * A handle() response from its output record. Most responses repeat one of a few header texts: their parse is
   * kept, and each response gets its own copy.
   * @param {number} address
   * @returns {{status: number, headers: Record<string, string>, body: string}}
   */
  _readResponse(address) {
    const heap = this._module.HEAPU8;
    const drainFlags = readUint32(heap, address + 12);
    this._drainKnown = (drainFlags & 1) !== 0;
    this._rulesWaiting = (drainFlags & 2) !== 0;
    this._takenEvents = this._drainKnown ? readUint32(heap, address + 16) : 0;
    const { status, headersText, body } = this._readRecord(address);
    const seen = this._headersSeen;
    // A few texts, compared directly: quicker than hashing a new string for a Map (unequal lengths differ at once).
    for (let i = 0; i < seen.length; i++) {
      if (seen[i].text === headersText) return { status, headers: { ...seen[i].headers }, body };
    }
    const headers = parseHeadersText(headersText);
    if (stringValues(headers)) {
      const entry = { text: headersText, headers: { ...headers } };
      if (seen.length < HEADER_TEXTS_KEPT) seen.push(entry);
      else seen[this._headersNext] = entry;
      this._headersNext = (this._headersNext + 1) % HEADER_TEXTS_KEPT;
    }
    return { status, headers, body };
  }

  /** @param {number} address */
  _readRecord(address) {
    const heap = this._module.HEAPU8;
    const text = /** @type {TextDecoder} */ (decoder);
    const status = readUint32(heap, address);
    const headersBytes = readUint32(heap, address + 4);
    const bodyBytes = readUint32(heap, address + 8);
    const headersStart = address + RECORD_HEADER_BYTES;
    const bodyStart = headersStart + headersBytes;
    if (headersBytes !== 0 && bodyBytes !== 0 && bodyBytes <= JOINT_DECODE_MAX_BODY_BYTES) {
      // One decode for both when every byte became one character (ASCII text): the split is then known. Only for
      // short bodies: the headers' text is a slice that keeps the whole text alive, and a few are kept (_headersSeen).
      const both = text.decode(heap.subarray(headersStart, bodyStart + bodyBytes));
      if (both.length === headersBytes + bodyBytes) {
        return { status, headersText: both.slice(0, headersBytes), body: both.slice(headersBytes) };
      }
    }
    return {
      status,
      headersText: headersBytes === 0 ? "" : text.decode(heap.subarray(headersStart, bodyStart)),
      body: bodyBytes === 0 ? "" : text.decode(heap.subarray(bodyStart, bodyStart + bodyBytes)),
    };
  }
}
