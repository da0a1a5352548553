// `jobrouter-emulator replay FILE [--until N] [--verify] [--export OUT]`: re-runs a trace file (--record,
// emulator.startRecording()) in a fresh emulator with a manual clock.

import fs from "node:fs";
import { parseArgs } from "node:util";
import "../node-platform.js";
import { RouterEmulator } from "../emulator.js";

export const REPLAY_USAGE = `Usage: jobrouter-emulator replay FILE [--until N] [--verify] [--export OUT]

Re-runs the inputs of a trace file (recorded with --record FILE or emulator.startRecording()).

Options:
  --until N      stop after record N
  --verify       compare every response and event with the trace, byte for byte; the first
                 difference is printed and the exit code is 1
  --export OUT   write the state reached (exportState()) to OUT
  -h, --help     show this help
`;

/**
 * Runs the replay command; resolves to the exit code.
 * @param {string[]} argv arguments after "replay"
 * @param {{ out?: (text: string) => void, err?: (text: string) => void }} [io]
 */
export async function replayMain(argv, io = {}) {
  const out = io.out ?? ((text) => process.stdout.write(text));
  const err = io.err ?? ((text) => process.stderr.write(text));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        until: { type: "string" },
        verify: { type: "boolean" },
        export: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (/** @type {any} */ error) {
    err(`jobrouter-emulator replay: ${error.message}\n${REPLAY_USAGE}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    out(REPLAY_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    err(`jobrouter-emulator replay: needs one trace FILE\n${REPLAY_USAGE}`);
    return 2;
  }
  let until;
  if (v.until !== undefined) {
    if (!/^\d+$/.test(v.until)) {
      err(`jobrouter-emulator replay: --until needs a record number, got '${v.until}'\n`);
      return 2;
    }
    until = Number(v.until);
  }
  const file = parsed.positionals[0];
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (/** @type {any} */ error) {
    err(`jobrouter-emulator replay: cannot read ${file}: ${error.message}\n`);
    return 1;
  }
  let result;
  const started = performance.now();
  try {
    result = await RouterEmulator.replay(bytes, { until, verify: Boolean(v.verify) });
  } catch (/** @type {any} */ error) {
    err(`jobrouter-emulator replay: ${file}: ${error.message}\n`);
    return 1;
  }
  const ms = Math.round(performance.now() - started);
  const lines = [`replayed ${result.applied} of ${result.records} records (last: ${result.last}) in ${ms} ms; clock ${result.emulator.clock.now()}`];
  if (result.problem) lines.push(`the trace ends with an incomplete or damaged record, ignored: ${result.problem}`);
  if (v.export) fs.writeFileSync(v.export, result.emulator.exportState());
  let code = 0;
  if (v.verify) {
    if (result.mismatch) {
      lines.push(`verify: record ${result.mismatch.n}: the ${result.mismatch.what} differ ${result.mismatch.detail}`);
      code = 1;
    } else {
      lines.push("verify: every response and event is identical");
    }
  }
  result.emulator.dispose();
  (code === 0 ? out : err)(`${lines.join("\n")}\n`);
  return code;
}
