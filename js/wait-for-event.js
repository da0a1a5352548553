// @ts-check
// emulator.waitForEvent(type, predicate?, { timeout }): a promise of the next matching event, for tests.

import { normalizeEventType, shortEventType } from "./event-types.js";

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Waits for the first event of `type` (short or full name, or "*") that `predicate` accepts, delivered after
 * the call. Rejects after `timeout` wall-clock milliseconds (Infinity: never) with an Error naming the type
 * and the events that did arrive meanwhile; rejects at once with a TypeError for an unknown type.
 * @param {import("./emulator.js").RouterEmulator} emulator
 * @param {string} type
 * @param {((event: object) => unknown) | { timeout?: number }} [predicate]
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<object>}
 */
export function waitForEvent(emulator, type, predicate, options) {
  let fullType;
  let timeout;
  try {
    fullType = normalizeEventType(type);
    if (predicate !== undefined && predicate !== null && typeof predicate !== "function") {
      if (typeof predicate === "object" && options === undefined) {
        options = predicate;
        predicate = undefined;
      } else {
        throw new TypeError("waitForEvent(type, predicate?, options?): predicate must be a function");
      }
    }
    if (options === undefined || options === null) options = {};
    if (typeof options !== "object") throw new TypeError("waitForEvent(type, predicate?, options?): options must be an object");
    for (const key of Object.keys(options)) {
      if (key !== "timeout") throw new TypeError(`waitForEvent: unknown option "${key}" (accepted: timeout)`);
    }
    timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
      throw new TypeError(`waitForEvent: timeout must be a number of milliseconds >= 0 (or Infinity), got ${String(timeout)}`);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  const test = typeof predicate === "function" ? predicate : null;
  return new Promise((resolve, reject) => {
    /** short type -> how many arrived while waiting */
    const seen = new Map();
    /** @type {ReturnType<typeof setTimeout> | null} */
    let timer = null;
    let done = false;
    const finish = () => {
      done = true;
      emulator.off("*", listener);
      if (timer !== null) clearTimeout(timer);
    };
    /** @param {Record<string, any>} event */
    const listener = (event) => {
      if (done) return;
      const eventType = event && typeof event.eventType === "string" ? event.eventType : "";
      seen.set(shortEventType(eventType), (seen.get(shortEventType(eventType)) ?? 0) + 1);
      if (fullType !== "*" && eventType !== fullType) return;
      let matched;
      try {
        matched = test === null || test(event);
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (matched) {
        finish();
        resolve(event);
      }
    };
    emulator.on("*", listener);
    if (timeout !== Infinity) {
      timer = setTimeout(() => {
        if (done) return;
        finish();
        const what = fullType === "*" ? "any event" : shortEventType(fullType);
        const arrived = [...seen].map(([name, count]) => `${name} ×${count}`).join(", ");
        const manual = emulator.clock.mode === "manual" ? " The clock is manual: timers fire only on clock.advance() / clock.setTime()." : "";
        const error = new Error(
          `waitForEvent: no ${what}${test ? " matching the predicate" : ""} arrived within ${timeout} ms; ` +
            (arrived ? `events that did arrive meanwhile: ${arrived}.` : "no events arrived meanwhile.") +
            manual,
        );
        error.name = "TimeoutError";
        reject(Object.assign(error, { eventType: fullType, received: Object.fromEntries(seen) }));
      }, timeout);
      // Not unref'd: an awaited wait with nothing else pending would otherwise end the Node process before its
      // timeout ("Promise resolution is still pending"), never giving this message; it lasts `timeout` at most.
    }
  });
}
