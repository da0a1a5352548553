// Shared set-up of the engine scenario suites (tests/js/engine-*.test.mjs): one fresh emulated resource per test
// on a manual clock, small request helpers, and an event recorder. Not a test file itself.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);
export const skip = existsSync(coreUrl)
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const { default: JobRouter, isUnexpected, paginate } = await import("../../js/node.js");
export { JobRouter, isUnexpected, paginate };

export const MERGE = "application/merge-patch+json";
export const START = "2024-01-01T00:00:00Z";

/** ISO text of START + `ms`, as the service writes it ("+00:00", trailing zeros of the fraction trimmed). */
export function at(ms) {
  const iso = new Date(Date.parse(START) + ms).toISOString();  // 2024-01-01T00:00:05.500Z
  const [whole, fraction] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${whole}${trimmed ? `.${trimmed}` : ""}+00:00`;
}

let counter = 0;
/** A client of a new endpoint (so a resource no other test shares) on a manual clock starting at START. */
export function freshClient(prefix, seed = 1) {
  counter += 1;
  const endpoint = `https://${prefix}-${counter}-${process.pid}.communication.azure.com/`;
  return JobRouter(`endpoint=${endpoint};accesskey=ZGV2`, {
    emulator: { clock: "manual", seed, startTime: START },
  });
}

/** PATCH (merge-patch) that must succeed; returns the response. */
export async function upsert(client, template, id, body) {
  const res = await client.path(template, id).patch({ contentType: MERGE, body });
  assert.ok(!isUnexpected(res), `PATCH ${template} ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export const distributionPolicy = (client, id, body) =>
  upsert(client, "/routing/distributionPolicies/{distributionPolicyId}", id, body);
export const queue = (client, id, body) => upsert(client, "/routing/queues/{queueId}", id, body);
export const classificationPolicy = (client, id, body) =>
  upsert(client, "/routing/classificationPolicies/{classificationPolicyId}", id, body);
export const exceptionPolicy = (client, id, body) =>
  upsert(client, "/routing/exceptionPolicies/{exceptionPolicyId}", id, body);
export const job = (client, id, body) => upsert(client, "/routing/jobs/{jobId}", id, body);

/** A worker on channel `voice` (cost 1) serving `queues`, registered unless told otherwise. */
export function worker(client, id, { queues = ["q1"], capacity = 1, labels, channels, availableForOffers = true } = {}) {
  const body = {
    capacity,
    queues,
    channels: channels ?? [{ channelId: "voice", capacityCostPerJob: 1 }],
    availableForOffers,
  };
  if (labels) body.labels = labels;
  return upsert(client, "/routing/workers/{workerId}", id, body);
}

/** A longestIdle distribution policy "dp" (or the given mode) and queues using it. */
export async function queues(client, ids = ["q1"], mode = { kind: "longestIdle" }, offerExpiresAfterSeconds = 60) {
  await distributionPolicy(client, "dp", { offerExpiresAfterSeconds, mode });
  for (const id of ids) await queue(client, id, { distributionPolicyId: "dp" });
}

export async function getJob(client, id) {
  const res = await client.path("/routing/jobs/{jobId}", id).get();
  assert.equal(res.status, "200", `GET job ${id}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getWorker(client, id) {
  const res = await client.path("/routing/workers/{workerId}", id).get();
  assert.equal(res.status, "200", `GET worker ${id}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The offers a worker shows on GET. */
export async function offersOf(client, id) {
  return (await getWorker(client, id)).offers;
}

/** Which of `workerIds` hold an offer for `jobId` (worker GETs, in the given order). */
export async function offeredTo(client, jobId, workerIds) {
  const holders = [];
  for (const id of workerIds) {
    if ((await offersOf(client, id)).some((o) => o.jobId === jobId)) holders.push(id);
  }
  return holders;
}

export function accept(client, workerId, offerId) {
  return client.path("/routing/workers/{workerId}/offers/{offerId}:accept", workerId, offerId).post();
}

export function decline(client, workerId, offerId, body) {
  return client
    .path("/routing/workers/{workerId}/offers/{offerId}:decline", workerId, offerId)
    .post(body === undefined ? {} : { body });
}

/**
 * Records every event: `log` holds { type (short name), data, time (eventTime), seq } in delivery order;
 * `types()` the short names; `clear()` empties it; `stop()` stops recording.
 */
export function recordEvents(client) {
  const log = [];
  const listener = (e) => {
    log.push({
      type: e.eventType.replace("Microsoft.Communication.", ""),
      subject: e.subject,
      data: e.data,
      time: e.eventTime,
      seq: e.sequenceNumber,
    });
  };
  client.emulator.on("*", listener);
  return {
    log,
    types: () => log.map((e) => e.type),
    of: (type) => log.filter((e) => e.type === type),
    clear: () => log.splice(0, log.length),
    stop: () => client.emulator.off("*", listener),
  };
}
