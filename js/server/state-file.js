// The snapshot of --state FILE: the emulator's whole state (exportState()) and the journal position it
// covers, in one JSON file:
//
//   {"jobrouterEmulatorSnapshot":{"seq":S,"length":L,"bytes":B},"state":<exportState() text>}
//
// S: the number of the last journal record the state includes (journal.js); L and B: the length of the state
// text in UTF-16 units and in UTF-8 bytes (a truncated file is detected before the state is parsed; files
// written before B existed are checked with L). The file is written to a temporary file next to it,
// fsync'ed and renamed over it, so it is always a complete snapshot. A file that holds a bare exportState()
// snapshot (the format before the journal) loads as a snapshot with S = 0.
// The state is read and handed to the core as bytes, never decoded to a JS string: a large state loads
// faster that way. Loading refuses a file that is not a snapshot and never overwrites it.

import fs from "node:fs";
import path from "node:path";

export class StateFileError extends Error {}

const PREFIX = '{"jobrouterEmulatorSnapshot":';
const STATE_KEY = ',"state":';
const PREFIX_BYTES = Buffer.from(PREFIX);
const STATE_KEY_BYTES = Buffer.from(STATE_KEY);
const CLOSE_BRACE = 0x7d;

/**
 * The snapshot file's text for a state and a journal position.
 * @param {string} state
 * @param {number} seq
 */
export function snapshotText(state, seq) {
  return `${PREFIX}${JSON.stringify({ seq, length: state.length, bytes: Buffer.byteLength(state) })}${STATE_KEY}${state}}`;
}

/** @param {Uint8Array} bytes true when the file holds nothing but white space */
function isBlank(bytes) {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  }
  return true;
}

/**
 * The header's fields, or null when the header is not one.
 * @param {Buffer} bytes
 * @param {number} keyAt
 * @returns {{ seq: number, length: number, bytes?: number } | null}
 */
function parseHeader(bytes, keyAt) {
  if (keyAt < 0) return null;
  try {
    const meta = JSON.parse(bytes.toString("utf8", PREFIX_BYTES.length, keyAt));
    return meta !== null && typeof meta === "object" && Number.isSafeInteger(meta.seq) && meta.seq >= 0 ? meta : null;
  } catch {
    return null;
  }
}

/**
 * True when the state's size is the one its header gives: in bytes, or (files written before the byte count)
 * in UTF-16 units.
 * @param {{ length: number, bytes?: number }} meta
 * @param {Buffer} state
 */
function sizeMatches(meta, state) {
  if (meta.bytes !== undefined) return meta.bytes === state.length;
  return meta.length === state.toString("utf8").length;
}

/**
 * Reads a snapshot: `{ state, seq, legacy }` with the state's UTF-8 bytes (for importState()), or null when
 * the file does not exist. Throws StateFileError with a clear message when it exists but cannot be used (the
 * file is left untouched).
 * @param {string} file
 * @returns {{ state: Buffer, seq: number, legacy: boolean } | null}
 */
export function readSnapshot(file) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (/** @type {any} */ error) {
    if (error && error.code === "ENOENT") return null;
    throw new StateFileError(`cannot read the state file ${file}: ${error.message}`);
  }
  if (isBlank(bytes)) {
    throw new StateFileError(`the state file ${file} is empty; it was left untouched (delete it to start empty)`);
  }
  if (bytes.compare(PREFIX_BYTES, 0, PREFIX_BYTES.length, 0, Math.min(bytes.length, PREFIX_BYTES.length)) !== 0) {
    return { state: bytes, seq: 0, legacy: true };
  }
  const keyAt = bytes.indexOf(STATE_KEY_BYTES, PREFIX_BYTES.length);
  const meta = parseHeader(bytes, keyAt);
  const state = bytes.subarray(keyAt + STATE_KEY_BYTES.length, bytes.length - 1);
  if (meta === null || bytes[bytes.length - 1] !== CLOSE_BRACE || !sizeMatches(meta, state)) {
    throw new StateFileError(
      `the state file ${file} is a damaged snapshot (truncated or edited: its header does not match its length); ` +
        "it was left untouched (restore it from a copy, or delete it and its journal files to start empty)",
    );
  }
  return { state, seq: meta.seq, legacy: false };
}

/**
 * The message for a snapshot that the core refused.
 * @param {string} file
 * @param {string | Uint8Array} state
 */
export function unusableSnapshotMessage(file, state) {
  try {
    JSON.parse(typeof state === "string" ? state : Buffer.from(state.buffer, state.byteOffset, state.byteLength).toString("utf8"));
  } catch (/** @type {any} */ error) {
    return `the state file ${file} is not valid JSON (${error.message}); it was left untouched (fix or delete it to start empty)`;
  }
  return (
    `the state file ${file} is not an emulator snapshot (or comes from an incompatible version); ` +
    "it was left untouched (fix or delete it to start empty)"
  );
}

/** @param {string} dir */
function syncDirectory(dir) {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems do not allow fsync on a folder
  }
}

/**
 * Writes a snapshot synchronously: temporary file, fsync, rename, fsync of the folder.
 * @param {string} file
 * @param {string} state
 * @param {number} seq
 */
export function writeSnapshotSync(file, state, seq) {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, snapshotText(state, seq));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDirectory(path.dirname(file));
}

/**
 * The same without blocking: the event loop goes on serving requests while the file is written.
 * @param {string} file
 * @param {string} state
 * @param {number} seq
 */
export async function writeSnapshot(file, state, seq) {
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await fs.promises.open(tmp, "w");
  try {
    await handle.writeFile(snapshotText(state, seq));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  syncDirectory(path.dirname(file));
}
