// js/json-tape.js on tapes written here: the values equal JSON.parse of the text, and literal keys whose addresses
// fall on the same slot of the key cache each keep their own text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TAPE_KINDS as K, newKeyCache, valuesOfTape } from "../../js/json-tape.js";

/**
 * A tape of `[{"alpha": …, "beta": …}, …]`: objects whose two keys are literals at the given addresses.
 * @param {Array<{ alpha: string, beta: number }>} objects
 * @param {number} alphaAddress
 * @param {number} betaAddress
 */
function tapeOf(objects, alphaAddress, betaAddress) {
  let text = "[";
  const entries = [];
  const add = (...entry) => entries.push(...entry, ...[0, 0, 0].slice(entry.length - 1));
  objects.forEach((object, index) => {
    if (index > 0) text += ",";
    add(K.ObjectStart);
    text += '{"';
    add(K.KeyLiteral, text.length, text.length + 5, alphaAddress);
    text += 'alpha":"';
    add(K.String, text.length, text.length + object.alpha.length, 0);
    text += `${object.alpha}","`;
    add(K.KeyLiteral, text.length, text.length + 4, betaAddress);
    text += 'beta":';
    add(K.Number, text.length, text.length + String(object.beta).length);
    text += `${object.beta}}`;
    add(K.ObjectEnd);
  });
  text += "]";
  return { text, words: Int32Array.from(entries), entries: entries.length / 4 };
}

test("literal keys on one slot of the key cache keep their own texts", () => {
  const objects = [{ alpha: "x", beta: 1 }, { alpha: "y", beta: 2.5 }, { alpha: "z", beta: -3 }];
  const keys = newKeyCache();
  // 5 and 1031 fall on one slot (1031 ^ (1031 >>> 9) = 1029, and 1029 & 511 = 5): each use replaces the other.
  // (An address is a C++ literal's: it always has the same text.)
  for (const [alpha, beta] of [[5, 1031], [5, 1031], [2053, 1031]]) {
    const { text, words, entries } = tapeOf(objects, alpha, beta);
    assert.deepEqual(valuesOfTape(text, words, 0, entries, keys), JSON.parse(text), `addresses ${alpha}, ${beta}`);
  }
});

test("a tape that closes more than it opens, or ends inside a value, is refused", () => {
  const keys = newKeyCache();
  assert.throws(() => valuesOfTape("{}", Int32Array.from([K.ObjectEnd, 0, 0, 0]), 0, 1, keys), /closes more/);
  assert.throws(() => valuesOfTape("{", Int32Array.from([K.ObjectStart, 0, 0, 0]), 0, 1, keys), /ended inside/);
});
