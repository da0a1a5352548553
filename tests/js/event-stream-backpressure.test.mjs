// js/server/event-stream.js: an SSE client that never reads is disconnected once more than 4 MiB wait for it (after
// its Last-Event-ID replay, which is written whole), so it cannot make the server's memory grow without bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";

import { EventStream } from "../../js/server/event-stream.js";

/** A response whose socket never drains: everything written stays in writableLength. */
class StuckResponse extends EventEmitter {
  constructor() {
    super();
    this.writableLength = 0;
    this.destroyed = false;
  }
  writeHead() {}
  write(text) {
    this.writableLength += Buffer.byteLength(text);
    return false;
  }
  destroy() {
    this.destroyed = true;
    this.emit("close");
  }
  end() {}
}

function attach(stream, query = "") {
  const req = new EventEmitter();
  req.headers = {};
  const res = new StuckResponse();
  stream.attach(req, res, new URL(`http://127.0.0.1/emulator/events${query}`));
  return res;
}

const event = (i) => ({ eventType: "Microsoft.Communication.RouterJobReceived", data: { jobId: `j${i}`, pad: "x".repeat(10_000) } });

test("a client that never reads is dropped past 4 MiB waiting; a reading one stays", () => {
  const stream = new EventStream({ capacity: 1000 });
  const stuck = attach(stream);
  const reading = attach(stream);
  reading.write = () => true;  // drains at once
  for (let i = 0; i < 600; i++) stream.publish(event(i));
  assert.equal(stuck.destroyed, true);
  assert.ok(stuck.writableLength <= 4 * 1024 * 1024 + 20_000, `${stuck.writableLength} bytes waited`);
  assert.equal(reading.destroyed, false);
  assert.equal(stream.clientCount, 1);
  stream.closeAll();
});

test("the replay of a reconnecting client is written whole, then the limit applies on top of it", () => {
  const stream = new EventStream({ capacity: 1000 });
  for (let i = 0; i < 600; i++) stream.publish(event(i));  // about 6 MB kept in the ring
  const resumed = attach(stream, "?lastEventId=0");
  assert.equal(resumed.destroyed, false);
  assert.ok(resumed.writableLength > 4 * 1024 * 1024);
  assert.equal(stream.clientCount, 1);
  stream.closeAll();
});
