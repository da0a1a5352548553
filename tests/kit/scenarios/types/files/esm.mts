// ESM consumer (module nodenext): the main entry and every subpath through package.json "exports".
import JobRouter, { createClient, createEmulatorHttpClient, isUnexpected, paginate, RouterEmulator } from "jobrouter-emulator";
import type { RouterJobOutput, RouterWorkerOutput } from "jobrouter-emulator";
import { jobRouterHandlers } from "jobrouter-emulator/msw";
import { routeJobRouter } from "jobrouter-emulator/playwright";
import { startServer } from "jobrouter-emulator/server";

const client = JobRouter("endpoint=https://types.communication.azure.com/;accesskey=a2l0", { emulator: { clock: "manual" } });
const same: typeof JobRouter = createClient;
const job = await client.path("/routing/jobs/{jobId}", "j").get();
if (!isUnexpected(job)) {
  const body: RouterJobOutput = job.body;
  const status: string | undefined = body.status;
  void status;
}
const worker = await client.path("/routing/workers/{workerId}", "w").get();
if (!isUnexpected(worker)) {
  const w: RouterWorkerOutput = worker.body;
  const offerIds: string[] = (w.offers ?? []).map((offer) => offer.offerId);
  void offerIds;
}
const list = await client.path("/routing/queues").get();
if (!isUnexpected(list)) {
  for await (const queue of paginate(client, list)) {
    const id: string = queue.id;
    void id;
  }
}
await client.emulator.clock.advance(1000);
const now: string = client.emulator.clock.now();
const emulator = new RouterEmulator({ clock: "manual", seed: 1 });
emulator.faults.throttle({ requests: 10, perSeconds: 10 }).failNext({ status: 429, retryAfterSeconds: 1 });
const handlers = jobRouterHandlers({ endpoint: "https://types.communication.azure.com", emulator });
const httpClient = createEmulatorHttpClient(emulator);
// @ts-expect-error: not a route of the API
client.path("/routing/nothing-here");
void [same, now, handlers, httpClient, routeJobRouter, startServer];
