// HTTP server requests per second on loopback (autocannon in this process, the server in a child process so the
// two do not share one event loop). GET of one job, and PATCH creating a new job per request (queued, matched
// against the queue's workers: none). Prints one JSON object. Usage: node tests/bench/http.mjs [seconds] [connections]
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = Number(process.argv[3] ?? 16);

const child = spawn(process.execPath, [new URL("./http-server-child.mjs", import.meta.url).pathname], {
  stdio: ["pipe", "pipe", "inherit"],
});
const firstLine = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once("line", resolve);
  child.once("exit", (code) => reject(new Error(`the server process exited (${code}) before it reported its URL`)));
});
const info = JSON.parse(firstLine);
if (info.unavailable) {
  console.log(JSON.stringify({ skipped: info.unavailable }));
  process.exit(0);
}
const base = info.url.replace(/\/$/, "");
const api = "api-version=2023-11-01";

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options }, (error, result) =>
      error ? reject(error) : resolve(result));
  });
}
const summary = (r) => ({
  requestsPerSecond: Math.round(r.requests.average),
  latencyMsP50: r.latency.p50,
  latencyMsP99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  total: r.requests.total,
});

await run({ url: `${base}/routing/jobs/job-1?${api}`, duration: 1 });  // warm-up
const get = await run({ url: `${base}/routing/jobs/job-1?${api}` });
let counter = 0;
const patch = await run({
  url: base,
  requests: [
    {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ channelId: "voice", queueId: "q", priority: 1 }),
      setupRequest: (request) => ({ ...request, path: `/routing/jobs/http-${++counter}?${api}` }),
    },
  ],
});
child.stdin.end();
console.log(JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, getJob: summary(get), patchJob: summary(patch) }));
