// Shared pieces of the benchmarks: timing, percentiles, the scenario's resources.
import { performance } from "node:perf_hooks";

export const MERGE = "application/merge-patch+json";
export const API = "api-version=2023-11-01";

export const DISTRIBUTION_POLICY = { offerExpiresAfterSeconds: 3600, mode: { kind: "longestIdle" } };
export const QUEUE = { distributionPolicyId: "dp" };
export const JOB = { channelId: "voice", queueId: "q", priority: 1 };
export function workerBody(available = true, capacity = 1) {
  return {
    capacity,
    queues: ["q"],
    channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
    availableForOffers: available,
  };
}

export const now = () => performance.now();

/** Milliseconds of CPU time (user + system) in a process.cpuUsage() result. */
export function cpuMillis(usage) {
  return (usage.user + usage.system) / 1000;
}

/** Microseconds per item of a sorted-or-not sample array, at percentile p (0..100). */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(samples) {
  return percentile(samples, 50);
}

export function round(value, digits = 1) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Rounds to 3 significant digits for the table. */
export function sig(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 3));
}

/** Sets up the scenario's distribution policy and queue through a client. */
export async function setupQueue(client) {
  const dp = await client
    .path("/routing/distributionPolicies/{distributionPolicyId}", "dp")
    .patch({ contentType: MERGE, body: DISTRIBUTION_POLICY });
  expectStatus(dp, "201");
  expectStatus(await client.path("/routing/queues/{queueId}", "q").patch({ contentType: MERGE, body: QUEUE }), "201");
}

export function expectStatus(response, ...statuses) {
  const status = String(response.status);
  if (!statuses.includes(status)) {
    throw new Error(`unexpected status ${status} (wanted ${statuses.join("/")}): ${JSON.stringify(response.body)}`);
  }
  return response;
}

/** Minor page faults of this process so far (first touches of memory pages). */
export function minorPageFaults() {
  return process.resourceUsage().minorPageFault;
}

/**
 * What this machine charges for a page fault now: microseconds per first touch of a fresh 4 KiB page, from a new
 * 32 MiB buffer touched page by page. Virtual machines vary widely (tenths of a µs to over 10 µs), and a cold start
 * takes thousands, so the figure tells a slow hour of the host from slower code.
 */
export function pageFaultMicros() {
  const before = minorPageFaults();
  const start = now();
  const pages = new Uint8Array(32 * 2 ** 20);
  for (let i = 0; i < pages.length; i += 4096) pages[i] = 1;
  const ms = now() - start;
  const faults = minorPageFaults() - before;
  return faults > 0 ? round((ms * 1000) / faults, 2) : NaN;
}

export function heapUsed() {
  if (globalThis.gc) globalThis.gc();
  return process.memoryUsage();
}
