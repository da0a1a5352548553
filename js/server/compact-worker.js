// Compaction of the --state journal in a worker thread (journal.js): the worker loads the last snapshot in
// its own core, replays the journal up to the cut, exports the state and writes the new snapshot, so the
// server's thread never stops for exportState() (seconds with 100,000 jobs). The core is deterministic,
// so the replayed state is the one the server had at the cut.

import { parentPort, workerData } from "node:worker_threads";
import fs from "node:fs";
import "../node-platform.js";
import { RouterEmulator } from "../emulator.js";
import { parseFrames, replayRecords } from "../recording.js";
import { readSnapshot, writeSnapshot } from "./state-file.js";

const { file, options, upto, segments } = workerData;

async function run() {
  const started = performance.now();
  const emulator = new RouterEmulator({ ...options, clock: "manual" });
  await emulator.ready();
  const snapshot = readSnapshot(file);
  let seq = 0;
  if (snapshot !== null) {
    emulator.importState(snapshot.state);
    seq = snapshot.seq;
  }
  for (const segment of segments) {
    if (segment.base >= upto) continue;
    const { records } = parseFrames(fs.readFileSync(segment.file));
    const todo = [];
    for (const record of records) {
      if (record.n <= seq + todo.length) continue;
      if (record.n > upto || record.n !== seq + todo.length + 1) break;
      todo.push(record);
    }
    if (todo.length) {
      await replayRecords(emulator, todo);
      seq += todo.length;
    }
  }
  if (seq !== upto) throw new Error(`the journal holds records up to ${seq}, not ${upto}`);
  const exportStarted = performance.now();
  const state = emulator.exportState();
  const exportMs = performance.now() - exportStarted;
  emulator.dispose();
  await writeSnapshot(file, state, upto);
  return { exportMs, bytes: Buffer.byteLength(state), totalMs: performance.now() - started };
}

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);  // run only as a worker
run().then(
  (result) => port.postMessage({ ok: true, ...result }),
  (error) => port.postMessage({ ok: false, message: error?.message ?? String(error) }),
);
