// --state FILE: the emulator's whole state (exportState()) kept in one JSON file.
//
// Saving writes a temporary file next to the target and renames it over the target, so the file
// on disk is always either the previous complete snapshot or the new complete one, whatever moment
// the process is killed at (rename is atomic on POSIX file systems). The final save on shutdown is
// also fsync'ed. Loading refuses a file that is not a snapshot and never overwrites it.

import fs from "node:fs";
import path from "node:path";

export class StateFileError extends Error {}

export class StateFile {
  /** @param {string} file */
  constructor(file) {
    this.file = path.resolve(file);
    this._tmp = `${this.file}.tmp-${process.pid}`;
    this.saves = 0;
    this._lastText = null;
  }

  /**
   * Reads the snapshot, or returns null when the file does not exist (a new state file).
   * Throws StateFileError with a clear message when it exists but cannot be used.
   */
  load() {
    let text;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (error) {
      if (error && error.code === "ENOENT") return null;
      throw new StateFileError(`cannot read the state file ${this.file}: ${error.message}`);
    }
    if (text.trim() === "") {
      throw new StateFileError(`the state file ${this.file} is empty; it was left untouched (delete it to start empty)`);
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw new StateFileError(
        `the state file ${this.file} is not valid JSON (${error.message}); it was left untouched ` +
          "(fix or delete it to start empty)",
      );
    }
    this._lastText = text;
    return text;
  }

  /**
   * Writes a snapshot atomically; skips the write when nothing changed since the last one.
   * @param {string} text
   * @param {{ sync?: boolean }} [options] sync: fsync the file and its folder (shutdown)
   */
  save(text, { sync = false } = {}) {
    if (text === this._lastText && !sync) return false;
    const fd = fs.openSync(this._tmp, "w");
    try {
      fs.writeSync(fd, text);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(this._tmp, this.file);
    if (sync) {
      try {
        const dir = fs.openSync(path.dirname(this.file), "r");
        try {
          fs.fsyncSync(dir);
        } finally {
          fs.closeSync(dir);
        }
      } catch {
        // some file systems do not allow fsync on a folder
      }
    }
    this._lastText = text;
    this.saves += 1;
    return true;
  }
}
