// Child process of http.mjs: starts the emulator's HTTP server on an ephemeral loopback port with a queue and
// one job, then reports its URL on stdout and serves until stdin closes.
import { existsSync } from "node:fs";

const candidates = ["../../js/server.js", "../../js/server/index.js"];
const found = candidates.find((file) => existsSync(new URL(file, import.meta.url)));
if (!found) {
  console.log(JSON.stringify({ unavailable: "server not available (js/server.js does not exist)" }));
  process.exit(0);
}
const { startServer } = await import(found);
if (typeof startServer !== "function") {
  console.log(JSON.stringify({ unavailable: `server not available (${found} exports no startServer)` }));
  process.exit(0);
}
const server = await startServer({ host: "127.0.0.1", port: 0, clock: "manual", seed: 1, auth: false, silent: true });
const api = "api-version=2023-11-01";
const merge = { "content-type": "application/merge-patch+json" };
const setup = [
  ["/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 3600, mode: { kind: "longestIdle" } }],
  ["/routing/queues/q", { distributionPolicyId: "dp" }],
  ["/routing/jobs/job-1", { channelId: "voice", queueId: "q", priority: 1 }],
];
for (const [path, body] of setup) {
  const res = await server.emulator.handle("PATCH", `${path}?${api}`, merge, JSON.stringify(body));
  if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${res.body}`);
}
console.log(JSON.stringify({ url: server.url }));
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.close();
  process.exit(0);
});
