// @ts-check
// The one JS object over the WebAssembly core (wasm/bindings.cpp): a Core owns one embind Router, and every call
// into the module goes through it. CoreAdapter is the real Core; a test double implements the same interface
// (CORE_METHODS), checked when it is opened.
//
// Requests and events travel through the module's memory (js/core-channel.js); everything else is embind's call.
//
// Internal module: not part of the package's public API.

import { CoreChannel, responseOf } from "./core-channel.js";
import { canLoadSync, getCoreSync, isCoreLoaded, loadCore } from "./core-loader.js";

/**
 * What the core reads from `new Module.Router(optionsJson)` (wasm/bindings.cpp).
 * @typedef {object} CoreOptions
 * @property {number} seed
 * @property {string} startTime ISO-8601
 * @property {boolean} checkApiVersion
 * @property {"real" | "spec"} errorShape
 * @property {"json" | "dotnet"} eventLabelText
 * @property {Readonly<Record<string, number>>} limits
 */

/** @typedef {{ status: number, headers: Record<string, string>, body: string }} CoreResponse */

/**
 * One emulated resource's core.
 * @typedef {object} Core
 * @property {(method: string, target: string, headers: unknown, body: string) => CoreResponse} handle
 *   one REST call; `headers`: any object (only the requestHeaderNames() reach the core)
 * @property {(wanted: boolean) => Record<string, any>[]} drainEvents the collected events, parsed (none when not
 *   wanted: they are dropped undecoded)
 * @property {() => string} drainRuleRequests pending function/webhook rule requests, JSON array text
 * @property {(requestId: string, valueJson: string, error: string) => boolean} answerRuleRequest
 * @property {() => number} stateVersion equal before two identical GETs -> identical responses
 * @property {() => string} now virtual time, ISO-8601
 * @property {() => number} nowMillis virtual time, epoch ms
 * @property {(ms: number) => void} advance
 * @property {(iso: string) => boolean} setTime
 * @property {() => number} nextDueMillis the next timer's virtual time (-1: none)
 * @property {(jobId: string) => string} explain JSON text
 * @property {(requestJson: string) => string} evaluateRule JSON text
 * @property {(jobId: string, reason: string) => CoreResponse} failScheduling
 * @property {(status: number, code: string, message: string, target: string) => CoreResponse} errorResponse
 *   the core's error response (in its errorShape) for an error the host makes up (fault injection)
 * @property {() => string} exportState
 * @property {(state: string | Uint8Array) => boolean} importState
 * @property {() => void} reset
 * @property {() => void} dispose frees the core
 * @property {() => readonly string[]} requestHeaderNames the request headers the core reads, lower-case
 */

/** Every method of Core: a test double has all of them. */
export const CORE_METHODS = Object.freeze([
  "handle", "drainEvents", "drainRuleRequests", "answerRuleRequest", "stateVersion", "now", "nowMillis", "advance",
  "setTime", "nextDueMillis", "explain", "evaluateRule", "failScheduling", "errorResponse", "exportState",
  "importState", "reset", "dispose", "requestHeaderNames",
]);

/** @type {WeakMap<object, readonly string[]>} module -> its requestHeaderNames() */
const headerNamesOfModule = new WeakMap();

/**
 * The request headers a loaded module's core reads (Module.requestHeaderNames(), read once per module).
 * @param {import("./core-loader.js").CoreModule} module
 * @returns {readonly string[]}
 */
export function moduleHeaderNames(module) {
  let names = headerNamesOfModule.get(module);
  if (names === undefined) {
    names = Object.freeze(/** @type {string[]} */ (JSON.parse(module.requestHeaderNames())));
    headerNamesOfModule.set(module, names);
  }
  return names;
}

/** The real Core: one embind Router of the loaded module. */
export class CoreAdapter {
  /**
   * @param {import("./core-loader.js").CoreModule} module
   * @param {CoreOptions} options
   */
  constructor(module, options) {
    this._router = new module.Router(JSON.stringify(options));
    this._headerNames = moduleHeaderNames(module);
    this._channel = new CoreChannel(module, this._router, this._headerNames);
  }

  /** @type {Core["handle"]} */
  handle(method, target, headers, body) { return this._channel.handle(method, target, headers, body); }
  /** @type {Core["drainEvents"]} */
  drainEvents(wanted) { return this._channel.drainEvents(wanted); }
  /** @type {Core["drainRuleRequests"]} */
  drainRuleRequests() { return this._channel.drainRuleRequests(); }
  /** @type {Core["answerRuleRequest"]} */
  answerRuleRequest(requestId, valueJson, error) {
    this._channel.noteOtherCall();
    return this._router.answerRuleRequest(requestId, valueJson, error);
  }
  /** @type {Core["stateVersion"]} */
  stateVersion() { return this._channel.stateVersion(); }
  /** @type {Core["now"]} */
  now() { return this._router.now(); }
  /** @type {Core["nowMillis"]} */
  nowMillis() { return this._router.nowMillis(); }
  /** @type {Core["advance"]} */
  advance(ms) {
    this._channel.noteOtherCall();
    this._router.advance(ms);
  }
  /** @type {Core["setTime"]} */
  setTime(iso) {
    this._channel.noteOtherCall();
    return this._router.setTime(iso);
  }
  /** @type {Core["nextDueMillis"]} */
  nextDueMillis() { return this._router.nextDueMillis(); }
  /** @type {Core["explain"]} */
  explain(jobId) {
    this._channel.noteOtherCall();
    return this._router.explain(jobId);
  }
  /** @type {Core["evaluateRule"]} */
  evaluateRule(requestJson) {
    this._channel.noteOtherCall();
    return this._router.evaluateRule(requestJson);
  }
  /** @type {Core["failScheduling"]} */
  failScheduling(jobId, reason) {
    this._channel.noteOtherCall();
    return responseOf(this._router.failScheduling(jobId, reason));
  }
  /** @type {Core["errorResponse"]} */
  errorResponse(status, code, message, target) {
    return responseOf(this._router.errorResponse(status, code, message, target));
  }
  /** @type {Core["exportState"]} */
  exportState() { return this._router.exportState(); }
  /** @type {Core["importState"]} */
  importState(state) { return this._channel.importState(state); }
  /** @type {Core["reset"]} */
  reset() {
    this._channel.noteOtherCall();
    this._router.reset();
  }
  /** @type {Core["requestHeaderNames"]} */
  requestHeaderNames() { return this._headerNames; }
  /** @type {Core["dispose"]} */
  dispose() {
    try {
      this._router.delete();
    } catch {
      // already freed
    }
  }
}

/** @type {((options: CoreOptions) => Core) | null} */
let openDouble = null;

/**
 * Test hook: cores are made by `open` instead of the WebAssembly module (null: the module again). Emulators made
 * earlier keep the core they have. A double must implement every method of Core (CORE_METHODS).
 * @param {((options: CoreOptions) => Core) | null} open
 */
export function useCoreDouble(open) {
  if (open !== null && typeof open !== "function") throw new TypeError("useCoreDouble(open): open must be a function or null");
  openDouble = open;
}

/**
 * @param {unknown} core
 * @returns {Core}
 */
function checkedDouble(core) {
  const missing = CORE_METHODS.filter((name) => typeof (/** @type {any} */ (core)?.[name]) !== "function");
  if (missing.length > 0) {
    throw new TypeError(
      `the core double lacks ${missing.join(", ")}: a double implements every method of Core (js/core-adapter.js)`,
    );
  }
  return /** @type {Core} */ (core);
}

/**
 * A new Core: the module's (loading it now where that can be done synchronously; see getCoreSync), or the test
 * double's.
 * @param {CoreOptions} options
 * @returns {Core}
 */
export function openCore(options) {
  if (openDouble !== null) return checkedDouble(openDouble(options));
  return new CoreAdapter(getCoreSync(), options);
}

/** true when openCore() can run now, without waiting for an asynchronous load (browsers). */
export function coreAvailableNow() {
  return openDouble !== null || isCoreLoaded() || canLoadSync();
}

/** true once openCore() no longer needs a load (the module is loaded, or a double is in use). */
export function coreLoaded() {
  return openDouble !== null || isCoreLoaded();
}

/**
 * Resolves once openCore() can run; rejects with the load error.
 * @returns {Promise<void>}
 */
export async function whenCoreAvailable() {
  if (openDouble === null) await loadCore();
}
