// The snapshot of --state FILE: the emulator's whole state (exportState()) and the journal position it
// covers, in one JSON file:
//
//   {"jobrouterEmulatorSnapshot":{"seq":S,"length":L},"state":<exportState() text>}
//
// S: the number of the last journal record the state includes (journal.js); L: the length of the state
// text (a truncated file is detected before the state is parsed). The file is written to a temporary file
// next to it, fsync'ed and renamed over it, so it is always a complete snapshot. A file that holds a bare
// exportState() snapshot (the format before the journal) loads as a snapshot with S = 0.
// Loading refuses a file that is not a snapshot and never overwrites it.

import fs from "node:fs";
import path from "node:path";

export class StateFileError extends Error {}

const PREFIX = '{"jobrouterEmulatorSnapshot":';
const STATE_KEY = ',"state":';

/** The snapshot file's text for a state and a journal position. */
export function snapshotText(state, seq) {
  return `${PREFIX}${JSON.stringify({ seq, length: state.length })}${STATE_KEY}${state}}`;
}

/**
 * Reads a snapshot: `{ state, seq, legacy }`, or null when the file does not exist.
 * Throws StateFileError with a clear message when it exists but cannot be used (the file is left untouched).
 * @param {string} file
 */
export function readSnapshot(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error && error.code === "ENOENT") return null;
    throw new StateFileError(`cannot read the state file ${file}: ${error.message}`);
  }
  if (text.trim() === "") {
    throw new StateFileError(`the state file ${file} is empty; it was left untouched (delete it to start empty)`);
  }
  if (!text.startsWith(PREFIX)) return { state: text, seq: 0, legacy: true };
  const keyAt = text.indexOf(STATE_KEY, PREFIX.length);
  let meta = null;
  try {
    meta = keyAt < 0 ? null : JSON.parse(text.slice(PREFIX.length, keyAt));
  } catch {
    meta = null;
  }
  const state = keyAt < 0 ? "" : text.slice(keyAt + STATE_KEY.length, -1);
  if (meta === null || !Number.isSafeInteger(meta.seq) || meta.seq < 0 || meta.length !== state.length || !text.endsWith("}")) {
    throw new StateFileError(
      `the state file ${file} is a damaged snapshot (truncated or edited: its header does not match its length); ` +
        "it was left untouched (restore it from a copy, or delete it and its journal files to start empty)",
    );
  }
  return { state, seq: meta.seq, legacy: false };
}

/** The message for a snapshot that the core refused. */
export function unusableSnapshotMessage(file, state) {
  try {
    JSON.parse(state);
  } catch (error) {
    return `the state file ${file} is not valid JSON (${error.message}); it was left untouched (fix or delete it to start empty)`;
  }
  return (
    `the state file ${file} is not an emulator snapshot (or comes from an incompatible version); ` +
    "it was left untouched (fix or delete it to start empty)"
  );
}

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

/** Writes a snapshot synchronously: temporary file, fsync, rename, fsync of the folder. */
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

/** The same without blocking: the event loop goes on serving requests while the file is written. */
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
