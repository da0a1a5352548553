// Compaction of the --state journal in a worker thread (journal.js): the server's thread never stops for
// exportState() (about 0.6 s with 100,000 jobs). The worker keeps its own core, a replica of the server's
// state as of the last compaction: the first compaction loads the snapshot into it, and each compaction
// replays the journal records from the replica's position up to the cut, exports the state and writes the
// new snapshot. The core is deterministic, so the replica's state at the cut is the one the server had.
// Keeping the replica means a compaction costs the replay of what changed since the last one plus the
// export, not a whole snapshot load as well (the price: a second copy of the state in memory).
//
// Messages: { upto, segments } in (segments: [{ base, file }] of the journal, oldest first), then
// { ok: true, exportMs, bytes, totalMs } or { ok: false, message } out. After a failure the replica is
// dropped (the next compaction starts from the snapshot again).

import { parentPort, workerData } from "node:worker_threads";
import fs from "node:fs";
import "../node-platform.js";
import { RouterEmulator } from "../emulator.js";
import { parseFrames, replayRecords } from "../recording.js";
import { readSnapshot, writeSnapshot } from "./state-file.js";

/** @type {{ file: string, options: object }} */
const { file, options } = workerData;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);  // run only as a worker

/** @type {{ emulator: RouterEmulator, seq: number } | null} */
let replica = null;

/** A replica at the snapshot's state. */
async function loadReplica() {
  const emulator = new RouterEmulator({ ...options, clock: "manual" });
  await emulator.ready();
  const snapshot = readSnapshot(file);
  if (snapshot !== null) emulator.importState(snapshot.state);
  return { emulator, seq: snapshot === null ? 0 : snapshot.seq };
}

/**
 * Replays the records after the replica's position up to `upto`.
 * @param {{ emulator: RouterEmulator, seq: number }} target
 * @param {number} upto
 * @param {Array<{ base: number, file: string }>} segments
 */
async function catchUp(target, upto, segments) {
  for (const segment of segments) {
    if (segment.base >= upto) continue;
    const { records } = parseFrames(fs.readFileSync(segment.file));
    const todo = [];
    for (const record of records) {
      if (record.n <= target.seq + todo.length) continue;
      if (record.n > upto || record.n !== target.seq + todo.length + 1) break;
      todo.push(record);
    }
    if (todo.length) {
      await replayRecords(target.emulator, todo);
      target.seq += todo.length;
    }
  }
  if (target.seq !== upto) throw new Error(`the journal holds records up to ${target.seq}, not ${upto}`);
}

/**
 * One compaction: the replica brought to `upto`, exported and written as the snapshot.
 * @param {{ upto: number, segments: Array<{ base: number, file: string }> }} request
 */
async function compact({ upto, segments }) {
  const started = performance.now();
  replica ??= await loadReplica();
  await catchUp(replica, upto, segments);
  const exportStarted = performance.now();
  const state = replica.emulator.exportState();
  const exportMs = performance.now() - exportStarted;
  await writeSnapshot(file, state, upto);
  return { exportMs, bytes: Buffer.byteLength(state), totalMs: performance.now() - started };
}

port.on("message", (/** @type {{ upto: number, segments: Array<{ base: number, file: string }> }} */ request) => {
  compact(request).then(
    (result) => port.postMessage({ ok: true, ...result }),
    (error) => {
      replica?.emulator.dispose();
      replica = null;
      port.postMessage({ ok: false, message: error?.message ?? String(error) });
    },
  );
});
