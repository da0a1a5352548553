// @ts-check
// The values of a JSON text built from its tape (core/util/json_tape.hpp): the core records the structure of the
// events' text as it writes it, so JS builds the same objects JSON.parse would make without parsing the text. Keys
// written from C++ literals come with the literal's address, and each is sliced from the text once per cache.
//
// Internal module of js/core-channel.js (the only user): not part of the package's public API.

/** The tape's entry kinds; the core publishes its own (Module.jsonTapeKinds()), which must be these. */
export const TAPE_KINDS = Object.freeze({
  ObjectStart: 1, ObjectEnd: 2, ArrayStart: 3, ArrayEnd: 4, KeyLiteral: 5, Key: 6, String: 7, Number: 8, True: 9,
  False: 10, Null: 11, Json: 12,
});

/** Words per tape entry: kind, then three operands. */
export const TAPE_ENTRY_WORDS = 4;

/** Slots of a key cache: more than the core has key literals, so that they seldom share one. */
const KEY_CACHE_SLOTS = 512;

/**
 * The literal keys met so far, by address: a direct-mapped cache (a slot holds the last address that fell on it and
 * its text), quicker than a Map's lookup, which was a quarter of valuesOfTape's time.
 * @typedef {{ addresses: Int32Array, texts: string[] }} KeyCache
 */

/** @returns {KeyCache} an empty cache for valuesOfTape (address 0 is never a literal's) */
export function newKeyCache() {
  return { addresses: new Int32Array(KEY_CACHE_SLOTS), texts: new Array(KEY_CACHE_SLOTS).fill("") };
}

/**
 * true when the module's kinds (Module.jsonTapeKinds()'s JSON text) are TAPE_KINDS.
 * @param {string} moduleKindsJson
 */
export function tapeKindsMatch(moduleKindsJson) {
  try {
    const kinds = JSON.parse(moduleKindsJson);
    const names = Object.keys(TAPE_KINDS);
    return Object.keys(kinds).length === names.length &&
      names.every((name) => kinds[name] === TAPE_KINDS[/** @type {keyof typeof TAPE_KINDS} */ (name)]);
  } catch {
    return false;
  }
}

/**
 * A key's or string's text: its span, or the JSON string around it when it has escapes.
 * @param {string} text
 * @param {Int32Array} words
 * @param {number} i the entry's first word
 */
function quotedText(text, words, i) {
  const start = words[i + 1];
  const end = words[i + 2];
  return words[i + 3] === 0 ? text.slice(start, end) : JSON.parse(text.slice(start - 1, end + 1));
}

/**
 * A value written whole as JSON text (the empty object and array, the usual ones, made directly).
 * @param {string} text
 * @param {number} start
 * @param {number} end
 */
function jsonValue(text, start, end) {
  if (end - start === 2) {
    const open = text.charCodeAt(start);
    if (open === 0x7b) return {};
    if (open === 0x5b) return [];
  }
  return JSON.parse(text.slice(start, end));
}

/**
 * Sets "__proto__" the way JSON.parse does: as an own property, not the prototype.
 * @param {Record<string, unknown>} object
 * @param {unknown} value
 */
function setProtoMember(object, value) {
  Object.defineProperty(object, "__proto__", { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The values a tape describes, one after another (JSON.parse of the text's array gives equal values). Offsets are
 * UTF-16 code units of `text`, i.e. the caller checked that the text is ASCII.
 * @param {string} text
 * @param {Int32Array} words memory holding the tape's entries
 * @param {number} start index in `words` of the first entry's first word
 * @param {number} entries how many entries the tape has
 * @param {KeyCache} keys literal keys by address (filled as keys are met)
 * @returns {unknown[]}
 */
export function valuesOfTape(text, words, start, entries, keys) {
  /** @type {unknown[]} */
  const values = [];
  /** @type {any[]} */
  const stack = [];
  /** @type {any} */
  let container = values;
  let inArray = true;
  let key = "";
  const end = start + entries * TAPE_ENTRY_WORDS;
  for (let i = start; i < end; i += TAPE_ENTRY_WORDS) {
    const kind = words[i];
    /** @type {unknown} */
    let value;
    switch (kind) {
      case 1: value = {}; break;
      case 3: value = []; break;
      case 2: case 4:
        if (stack.length === 0) throw new Error("jobrouter-emulator: a JSON tape closes more than it opened");
        container = stack.pop();
        inArray = Array.isArray(container);
        continue;
      case 5: {
        const address = words[i + 3];
        const slot = (address ^ (address >>> 9)) & (KEY_CACHE_SLOTS - 1);
        if (keys.addresses[slot] === address) key = keys.texts[slot];
        else {
          key = text.slice(words[i + 1], words[i + 2]);
          keys.addresses[slot] = address;
          keys.texts[slot] = key;
        }
        continue;
      }
      case 6: key = quotedText(text, words, i); continue;
      case 7: value = quotedText(text, words, i); break;
      case 8: value = Number(text.slice(words[i + 1], words[i + 2])); break;
      case 9: value = true; break;
      case 10: value = false; break;
      case 11: value = null; break;
      case 12: value = jsonValue(text, words[i + 1], words[i + 2]); break;
      default: throw new Error(`jobrouter-emulator: unknown JSON tape entry ${kind}`);
    }
    if (inArray) container.push(value);
    else if (key !== "__proto__") container[key] = value;
    else setProtoMember(container, value);
    if (kind === 1 || kind === 3) {
      stack.push(container);
      container = value;
      inArray = kind === 3;
    }
  }
  if (stack.length !== 0) throw new Error("jobrouter-emulator: a JSON tape ended inside a value");
  return values;
}
