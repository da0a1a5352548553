// @ts-check
// The router event types the emulator publishes (Event Grid schema, eventType "Microsoft.Communication.<Name>"),
// in one list for the package, the server and the web demo, and the check of the names listeners use.

import { EVENT_PREFIX, EVENT_TYPES } from "./generated/events.js";

// The names come from scripts/api/operations.json through js/generated/events.js (npm run gen).
export { EVENT_PREFIX, EVENT_TYPES };

const SHORT = new Set(EVENT_TYPES);

/** Edit distance (insertions, deletions, substitutions) between two strings. @param {string} a @param {string} b */
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The valid short name closest to a misspelt one ("WorkerOfferIssued" -> "RouterWorkerOfferIssued"), or
 * undefined when none is close. Case is ignored, and so is whatever comes before the last "." (a full
 * name with a wrong prefix) and a missing "Router".
 * @param {unknown} name
 * @returns {string | undefined}
 */
export function closestEventType(name) {
  const text = String(name);
  const bare = text.slice(text.lastIndexOf(".") + 1).toLowerCase();
  if (bare === "") return undefined;
  const forms = bare.startsWith("router") ? [bare] : [bare, `router${bare}`];
  let best = "";
  let bestDistance = Infinity;
  for (const type of EVENT_TYPES) {
    const lower = type.toLowerCase();
    for (const form of forms) {
      const d = distance(form, lower);
      if (d < bestDistance) {
        bestDistance = d;
        best = type;
      }
    }
  }
  // Close enough: at most a third of the name wrong (a missing "Router" is forgiven above).
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Checks an event type a listener names and returns its full form: a short name ("RouterJobQueued") or a full
 * one ("Microsoft.Communication.RouterJobQueued") -> the full one; "*" -> "*". Anything else throws a TypeError
 * that suggests the closest valid name and lists the valid ones.
 * @param {string} type
 * @returns {string}
 */
export function normalizeEventType(type) {
  if (type === "*") return type;
  if (typeof type === "string") {
    if (SHORT.has(type)) return EVENT_PREFIX + type;
    if (type.startsWith(EVENT_PREFIX) && SHORT.has(type.slice(EVENT_PREFIX.length))) return type;
  }
  const shown = typeof type === "string" ? JSON.stringify(type) : String(type);
  let hint = "";
  if (typeof type === "string" && type !== "") {
    const closest = closestEventType(type);
    if (closest !== undefined) {
      const suggestion = type.includes(".") ? EVENT_PREFIX + closest : closest;
      hint = ` Did you mean "${suggestion}"?`;
    }
  }
  throw new TypeError(
    `Unknown router event type ${shown}.${hint} Valid types: "*" (every event), a short name ` +
      `(${EVENT_TYPES.join(", ")}) or a full name (${EVENT_TYPES.map((t) => EVENT_PREFIX + t).join(", ")}).`,
  );
}

/**
 * The short name of a full or short event type ("Microsoft.Communication.RouterJobQueued" -> "RouterJobQueued").
 * @param {unknown} type
 */
export function shortEventType(type) {
  const text = String(type);
  return text.startsWith(EVENT_PREFIX) ? text.slice(EVENT_PREFIX.length) : text;
}
