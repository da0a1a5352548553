// --state FILE: a snapshot (state-file.js) plus a journal of the inputs that changed the state since then.
//
// Each input that changed the state (recording.js: a REST call, a clock run, a rule answer, reset, an
// import) is appended to the journal as one framed line, so a write costs the same whatever the size of the
// state. The journal lives in segment files next to the snapshot, `FILE.journal.<S>`, where S is the number
// of the last record before the segment's first one. When the current segment outgrows the snapshot (and
// at least compactMinBytes), or holds more than compactRecords records, a compaction cuts the journal (the
// records that follow go to a new segment) and a worker thread (compact-worker.js) builds the new snapshot:
// its own core, a replica loaded from the snapshot at the first compaction, replays the journal up to the
// cut, exports, writes (temporary file, fsync, rename); then the older segments are deleted. The server's
// thread does not pause for it. At shutdown a last snapshot is taken.
//
// Restart: the snapshot is loaded and the records after its position replayed, segment by segment. A torn
// or corrupt tail (a process killed in the middle of a write) ends the replay at the last complete record:
// the dropped bytes are moved to `FILE.journal.<S>.dropped-<time>` and reported, and the server starts.
// A damaged snapshot is an error that leaves every file untouched.
//
// Durability (--state-sync): "always": each acknowledged change is fsync'ed (group commit: one fdatasync
// covers every record written while the previous one ran); "batch" (default): each record is written to
// the OS (write(2)) before its request is answered, and fdatasync runs at least every 100 ms: a killed
// process loses nothing acknowledged, a power cut may lose the last 100 ms; "none": records are written to
// the OS before the answer, never fsync'ed by the emulator (the OS writes them back when it chooses).

import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { applySettings, parseFrames, frame, replayRecords } from "../recording.js";
import { StateFileError, readSnapshot, unusableSnapshotMessage, writeSnapshotSync } from "./state-file.js";

export const STATE_SYNC_MODES = ["always", "batch", "none"];
const BATCH_SYNC_MS = 100;
const DEFAULT_COMPACT_MIN_BYTES = 16 * 1024 * 1024;
const DEFAULT_COMPACT_RECORDS = 25_000;

/**
 * The records of a segment that follow record `seq`, in order, up to the first missing one.
 * @param {Array<Record<string, any>>} records the segment's records
 * @param {number} seq the number of the last record applied
 * @returns {{ todo: any[], gap: boolean }} `gap`: a record is missing (the later ones cannot be applied)
 */
function recordsAfter(records, seq) {
  const todo = [];
  for (const record of records) {
    if (record.n <= seq + todo.length) continue;
    if (record.n !== seq + todo.length + 1) return { todo, gap: true };
    todo.push(record);
  }
  return { todo, gap: false };
}

export class Journal {
  /**
   * @param {string} file the snapshot file
   * @param {{ sync?: "always" | "batch" | "none", log?: (line: string) => void, compactMinBytes?: number,
   *   compactRecords?: number }} [options]
   */
  constructor(file, options = {}) {
    this.file = path.resolve(file);
    this.sync = options.sync ?? "batch";
    if (!STATE_SYNC_MODES.includes(this.sync)) {
      throw new TypeError(`stateSync must be one of ${STATE_SYNC_MODES.join(", ")}, got ${JSON.stringify(this.sync)}`);
    }
    this.log = options.log ?? (() => {});
    this.compactMinBytes = options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES;
    /** records after which a compaction runs whatever their size (bounds the replay at restart) */
    this.compactRecords = options.compactRecords ?? DEFAULT_COMPACT_RECORDS;
    /** snapshots written (the "saves" of GET /emulator/health) */
    this.saves = 0;
    this.records = 0;
    this.seq = 0;
    this.snapshotSeq = 0;
    this.snapshotBytes = 0;
    this.segmentBytes = 0;
    this.lastCompaction = null;
    /** what the last start recovered: { snapshotSeq, replayed, dropped, ms } */
    this.recovery = null;
    this._fd = -1;
    this._segmentBase = 0;
    this._written = 0;  // bytes written to the current fd
    this._synced = 0;
    this._syncing = false;
    /** @type {Array<{ position: number, fd: number, resolve: (value?: any) => void, reject: (error: any) => void }>} */
    this._waiters = [];
    this._error = null;
    this._timer = null;
    this._compacting = null;
    this._nextCompactBytes = 0;
    this._closed = false;
    this._emulator = null;
    /** @type {import("../recording.js").Recorder | null} the emulator's recorder this journal is a sink of */
    this._recorder = null;
    this._sink = null;
    /** @type {Worker | null} the compaction worker, once started */
    this._worker = null;
    /** @type {((result: object) => void) | null} settles the running compaction with the worker's answer */
    this._answer = null;
    /** the last clock mode and fault settings journaled: written again at the start of each new segment */
    /** @type {{ mode?: Record<string, any>, faults?: Record<string, any> }} */
    this._settings = {};
  }

  /** Journals the clock mode and fault settings again (a new segment follows a snapshot, which lacks them). */
  _writeSettings() {
    if (this._sink === null) return;
    for (const setting of [this._settings.mode, this._settings.faults]) {
      if (!setting) continue;
      this._sink.n += 1;
      this._append({ n: this._sink.n, ...setting });
    }
  }

  /** @param {number} base */
  _segmentPath(base) {
    return `${this.file}.journal.${base}`;
  }

  /** The journal segments next to the snapshot, oldest first: [{ base, file }]. */
  segments() {
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.journal.`;
    let names = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name) => ({ base: Number(name.slice(prefix.length)), file: path.join(dir, name) }))
      .sort((a, b) => a.base - b.base);
  }

  /**
   * Loads the snapshot into `emulator`, replays the journal after it, and starts journaling. Throws
   * StateFileError for a damaged snapshot. Resolves to the recovery report.
   * @param {import("../emulator.js").RouterEmulator} emulator
   */
  async open(emulator) {
    const started = performance.now();
    const snapshot = this._loadSnapshot(emulator);
    const loadedMs = performance.now() - started;
    const replay = await this._replaySegments(emulator, this.snapshotSeq);
    const { seq, replayed, dropped, settings } = replay;
    let appendTo = replay.appendTo;
    this.seq = seq;
    // Clock mode and fault settings are not in the core's state: the last ones journaled apply again.
    applySettings(emulator, settings);
    const legacy = snapshot !== null && snapshot.legacy;
    if (snapshot === null || legacy) {
      this._restartFromSnapshot(emulator, seq);
      appendTo = null;
    }
    this._startJournaling(emulator, appendTo, settings);
    this.recovery = {
      snapshotSeq: this.snapshotSeq,
      legacy,
      replayed,
      dropped,
      loadMs: Math.round(loadedMs),
      ms: Math.round(performance.now() - started),
    };
    this._reportDropped(dropped, seq);
    return this.recovery;
  }

  /**
   * Imports the snapshot, if there is one, into `emulator` (sets snapshotSeq and snapshotBytes). Throws
   * StateFileError for a snapshot the core cannot import.
   * @param {import("../emulator.js").RouterEmulator} emulator
   * @returns {ReturnType<typeof readSnapshot>} the snapshot read, or null when there is none
   */
  _loadSnapshot(emulator) {
    const snapshot = readSnapshot(this.file);
    if (snapshot !== null) {
      try {
        emulator.importState(snapshot.state);
      } catch {
        throw new StateFileError(unusableSnapshotMessage(this.file, snapshot.state));
      }
      this.snapshotSeq = snapshot.seq;
      this.snapshotBytes = snapshot.state.length;
    }
    return snapshot;
  }

  /**
   * Replays the records after `seq` of every segment, oldest first, until a missing record or a torn or
   * corrupt tail, whose bytes (and the later segments) are set aside.
   * @param {import("../emulator.js").RouterEmulator} emulator
   * @param {number} seq the number of the last record the snapshot holds
   * @returns {Promise<{ seq: number, replayed: number, dropped: Array<ReturnType<Journal["_setAside"]>>,
   *   appendTo: { base: number, file: string } | null, settings: { mode?: any, faults?: any } }>}
   *   `seq`: the last record applied; `appendTo`: the last segment, when the journal goes on in it;
   *   `settings`: the last clock mode and fault settings replayed
   */
  async _replaySegments(emulator, seq) {
    let replayed = 0;
    const dropped = [];
    let appendTo = null;
    /** @type {{ mode?: any, faults?: any }} */
    const settings = {};
    const segments = this.segments();
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const parsed = parseFrames(fs.readFileSync(segment.file));
      const { todo, gap } = recordsAfter(parsed.records, seq);
      if (todo.length) {
        const result = await replayRecords(emulator, todo);
        if (result.mode) settings.mode = result.mode;
        if (result.faults) settings.faults = result.faults;
        replayed += todo.length;
        seq += todo.length;
      }
      if (gap) {
        // Records after a missing one cannot be applied: this segment and the later ones are set aside.
        for (const rest of segments.slice(i)) dropped.push(this._setAside(rest.file, 0, `records after ${seq} follow a missing record`));
        break;
      }
      if (parsed.problem !== null) {
        dropped.push(this._setAside(segment.file, parsed.validBytes, parsed.problem));
        for (const rest of segments.slice(i + 1)) dropped.push(this._setAside(rest.file, 0, "follows a torn segment"));
        if (parsed.validBytes > 0) appendTo = segment;
        break;
      }
      appendTo = segment;
    }
    return { seq, replayed, dropped, appendTo, settings };
  }

  /**
   * A new state file (or one from before the journal): writes a snapshot in the current format of the state
   * at record `seq` and deletes the journal segments.
   * @param {import("../emulator.js").RouterEmulator} emulator
   * @param {number} seq
   */
  _restartFromSnapshot(emulator, seq) {
    writeSnapshotSync(this.file, emulator.exportState(), seq);
    this.snapshotSeq = seq;
    this.saves += 1;
    for (const segment of this.segments()) fs.rmSync(segment.file, { force: true });
  }

  /**
   * Opens the segment the journal goes on in (`appendTo`, or a new one after this.seq), journals the
   * emulator's changes from now on and starts the batch sync timer.
   * @param {import("../emulator.js").RouterEmulator} emulator
   * @param {{ base: number, file: string } | null} appendTo
   * @param {{ mode?: any, faults?: any }} settings the clock mode and fault settings replayed
   */
  _startJournaling(emulator, appendTo, settings) {
    const seq = this.seq;
    this._emulator = emulator;
    if (appendTo !== null && appendTo.base <= seq) this._openSegment(appendTo.base, true);
    else this._openSegment(seq, false);
    const recorder = emulator._recorderForSinks();
    this._recorder = recorder;
    this._sink = recorder.addSink({ outputs: false, startAt: seq, write: (record) => this._append(record) });
    if (settings.mode) this._settings.mode = { k: "mode", ...settings.mode };
    if (settings.faults) this._settings.faults = { k: "faults", config: settings.faults };
    if (appendTo === null) this._writeSettings();
    // A long tail replayed now would be replayed again after the next crash: compact it away at once.
    if (this.seq - this._segmentBase > this.compactRecords) setImmediate(() => this.compact().catch(() => {}));
    if (this.sync === "batch") {
      this._timer = setInterval(() => this._startSync(), BATCH_SYNC_MS);
      this._timer.unref?.();
    }
  }

  /**
   * Logs each part of the journal set aside at the start.
   * @param {Array<ReturnType<Journal["_setAside"]>>} dropped
   * @param {number} seq the last record replayed
   */
  _reportDropped(dropped, seq) {
    for (const item of dropped) {
      this.log(
        `jobrouter-emulator: the journal ${item.file} ended with an incomplete or damaged part (${item.reason}): ` +
          `${item.bytes} bytes dropped after record ${seq}, kept in ${item.keptIn}`,
      );
    }
  }

  /**
   * Moves the bytes of `file` from `from` on to a side file and truncates it; returns the report entry.
   * @param {string} file
   * @param {number} from
   * @param {string} reason
   */
  _setAside(file, from, reason) {
    const bytes = fs.readFileSync(file);
    const keptIn = `${file}.dropped-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.writeFileSync(keptIn, bytes.subarray(from));
    if (from === 0) fs.rmSync(file, { force: true });
    else fs.truncateSync(file, from);
    return { file, reason, bytes: bytes.length - from, keptIn };
  }

  /**
   * @param {number} base
   * @param {boolean} append
   */
  _openSegment(base, append) {
    const file = this._segmentPath(base);
    this._fd = fs.openSync(file, append ? "a" : "w");
    this._segmentBase = base;
    this.segmentBytes = append ? fs.fstatSync(this._fd).size : 0;
    this._written = 0;
    this._synced = 0;
  }

  /** @param {Record<string, any>} record */
  _append(record) {
    if (this._fd < 0) return;
    const line = frame(record);
    try {
      const length = Buffer.byteLength(line);
      let offset = 0;
      const buffer = Buffer.from(line, "utf8");
      while (offset < length) offset += fs.writeSync(this._fd, buffer, offset, length - offset);
      this._written += length;
      this.segmentBytes += length;
      this.seq = record.n;
      this.records += 1;
      if (record.k === "mode") this._settings.mode = { k: "mode", mode: record.mode, speed: record.speed };
      if (record.k === "faults") this._settings.faults = { k: "faults", config: record.config };
    } catch (/** @type {any} */ error) {
      if (this._error === null) this.log(`jobrouter-emulator: could not write the journal: ${error.message}`);
      this._error = error;
      return;
    }
    const large = this.segmentBytes > Math.max(this.compactMinBytes, this.snapshotBytes, this._nextCompactBytes);
    const long = this.seq - this._segmentBase > this.compactRecords && this.segmentBytes > this._nextCompactBytes;
    if ((large || long) && this._compacting === null) {
      setImmediate(() => this.compact().catch(() => {}));
    }
  }

  /**
   * Resolves once what has been journaled so far is durable as the mode promises ("always": fsync'ed;
   * "batch" and "none": written to the OS, which happens before this is called). Rejects when the journal
   * cannot be written.
   */
  durable() {
    if (this._error !== null) return Promise.reject(this._error);
    if (this.sync !== "always" || this._synced >= this._written) return Promise.resolve();
    const position = this._written;
    const fd = this._fd;
    return new Promise((resolve, reject) => {
      this._waiters.push({ position, fd, resolve, reject });
      this._startSync();
    });
  }

  _startSync() {
    if (this._syncing || this._fd < 0 || this._synced >= this._written) return;
    this._syncing = true;
    const fd = this._fd;
    const target = this._written;
    fs.fdatasync(fd, (error) => {
      this._syncing = false;
      if (fd !== this._fd) return;  // the segment was switched meanwhile (its waiters were settled then)
      if (error) {
        this._error = error;
        for (const waiter of this._waiters.splice(0)) waiter.reject(error);
        return;
      }
      this._synced = Math.max(this._synced, target);
      const waiting = this._waiters;
      /** @type {Array<{ position: number, fd: number, resolve: (value?: any) => void, reject: (error: any) => void }>} */
    this._waiters = [];
      for (const waiter of waiting) {
        if (waiter.position <= this._synced) waiter.resolve();
        else this._waiters.push(waiter);
      }
      if (this._waiters.length) this._startSync();
    });
  }

  /** Ends the current segment: fsync'ed, closed, its waiters settled. */
  _closeSegment() {
    if (this._fd < 0) return;
    try {
      if (this.sync !== "none") fs.fdatasyncSync(this._fd);
      for (const waiter of this._waiters.splice(0)) waiter.resolve();
    } catch (/** @type {any} */ error) {
      for (const waiter of this._waiters.splice(0)) waiter.reject(error);
    }
    fs.closeSync(this._fd);
    this._fd = -1;
  }

  /**
   * Takes a new snapshot and starts a new segment. The cut is immediate (the records after it go to a new
   * segment); the snapshot is made by a worker thread (compact-worker.js) that loads the last snapshot in its
   * own core, replays the journal up to the cut, exports and writes it, so requests go on meanwhile.
   */
  compact() {
    if (this._compacting !== null) return this._compacting;
    if (this._closed || this._emulator === null) return Promise.resolve(null);
    const started = performance.now();
    const seq = this.seq;
    this._closeSegment();
    this._openSegment(seq, false);
    this._writeSettings();
    const segments = this.segments().filter((segment) => segment.base < seq);
    this._compacting = new Promise((resolve) => {
      this._answer = resolve;
      this._compactor().postMessage({ upto: seq, segments });
    }).then(async (/** @type {any} */ result) => {
      try {
        if (!result.ok) {
          this.log(`jobrouter-emulator: could not write a snapshot of the state: ${result.message}`);
          this._nextCompactBytes = this.segmentBytes * 2 + this.compactMinBytes;
          return null;
        }
        this.snapshotSeq = seq;
        this.snapshotBytes = result.bytes;
        this.saves += 1;
        for (const segment of this.segments()) {
          if (segment.base < seq) await fs.promises.rm(segment.file, { force: true });
        }
        this.lastCompaction = {
          seq,
          exportMs: Math.round(result.exportMs),
          workerMs: Math.round(result.totalMs),
          totalMs: Math.round(performance.now() - started),
          bytes: result.bytes,
        };
        return this.lastCompaction;
      } finally {
        this._compacting = null;
      }
    });
    return this._compacting;
  }

  /**
   * The compaction worker (compact-worker.js), started on first use. It stays (unref'ed: it never keeps the
   * process alive) with its replica of the state, so the next compaction replays only what changed since.
   * @returns {Worker}
   */
  _compactor() {
    if (this._worker !== null) return this._worker;
    const { clock, speed, ...options } = /** @type {import("../emulator.js").RouterEmulator} */ (this._emulator).options;
    const worker = new Worker(new URL("./compact-worker.js", import.meta.url), { workerData: { file: this.file, options } });
    worker.unref();
    const settle = (/** @type {object} */ result) => {
      const answer = this._answer;
      this._answer = null;
      answer?.(result);
    };
    const fail = (/** @type {string} */ message) => {
      if (this._worker === worker) this._worker = null;
      settle({ ok: false, message });
    };
    worker.on("message", settle);
    worker.on("error", (/** @type {Error} */ error) => fail(error.message));
    worker.on("exit", (code) => fail(`the compaction worker exited with ${code}`));
    this._worker = worker;
    return worker;
  }

  /** Sizes for /emulator/health and the soak script. */
  status() {
    let journalBytes = 0;
    for (const segment of this.segments()) {
      try {
        journalBytes += fs.statSync(segment.file).size;
      } catch {
        // deleted meanwhile
      }
    }
    let snapshotFileBytes = 0;
    try {
      snapshotFileBytes = fs.statSync(this.file).size;
    } catch {
      // none yet
    }
    return {
      file: this.file,
      sync: this.sync,
      saves: this.saves,
      seq: this.seq,
      snapshotSeq: this.snapshotSeq,
      snapshotBytes: snapshotFileBytes,
      journalBytes,
      lastCompaction: this.lastCompaction,
      recovery: this.recovery,
    };
  }

  /**
   * Shutdown: waits for a running compaction, takes a last snapshot (so the next start replays nothing),
   * removes the journal segments it covers.
   */
  async close() {
    if (this._closed) return;
    if (this._compacting !== null) await this._compacting;
    this._closed = true;
    const worker = this._worker;
    this._worker = null;
    if (worker !== null) await worker.terminate();
    if (this._timer !== null) clearInterval(this._timer);
    if (this._sink !== null && this._recorder !== null) this._recorder.removeSink(this._sink);
    this._closeSegment();
    if (this._emulator === null || this._emulator.disposed) return;
    const seq = this.seq;
    writeSnapshotSync(this.file, this._emulator.exportState(), seq);
    this.saves += 1;
    for (const segment of this.segments()) fs.rmSync(segment.file, { force: true });
    if (this._settings.mode || this._settings.faults) {
      // the settings outlive the snapshot in a short segment of their own
      let n = seq;
      const lines = [this._settings.mode, this._settings.faults].filter(Boolean).map((setting) => frame({ n: ++n, ...setting }));
      const fd = fs.openSync(this._segmentPath(seq), "w");
      try {
        fs.writeSync(fd, lines.join(""));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
}
