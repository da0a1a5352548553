// Types test of the emulator half (checked by scripts/check-types.mjs with tsc --strict, never run).
// Each `@ts-expect-error` line must be an error; everything else must compile.

import {
  EVENT_TYPES,
  type AcsRouterWorkerSelector,
  type AcsRouterWorkerUpdatedEventData,
  RouterEmulator,
  type RouterEvent,
  type RouterEventName,
  type RouterEventShortName,
  type RouterFaultsState,
  type RouterJob,
} from "jobrouter-emulator";
import { startServer, type RunningServer } from "jobrouter-emulator/server";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): void {}

async function emulatorControls(): Promise<void> {
  const emulator = new RouterEmulator({ clock: "manual", seed: 7, startTime: "2024-01-01T00:00:00Z", errorShape: "spec" });
  await emulator.ready();
  // @ts-expect-error wrong option type: clock
  new RouterEmulator({ clock: "virtual" });
  // @ts-expect-error unknown option
  new RouterEmulator({ clocks: "manual" });

  // ---- event names ----
  const names: readonly RouterEventShortName[] = EVENT_TYPES;
  // @ts-expect-error EVENT_TYPES is read-only
  EVENT_TYPES.push("RouterJobQueued");
  const full: RouterEventName = "Microsoft.Communication.RouterWorkerOfferIssued";
  void names, full;

  emulator.on("RouterWorkerOfferIssued", (event) => {
    assertType<Equal<typeof event.eventType, "Microsoft.Communication.RouterWorkerOfferIssued">>();
    const offerId: string = event.data.offerId;
    const workerId: string = event.data.workerId;
    void offerId, workerId;
  });
  emulator.on("Microsoft.Communication.RouterJobQueued", async (event) => {
    const jobId: string = event.data.jobId;
    void jobId;
  });
  emulator.on("*", (event) => {
    if (event.eventType === "Microsoft.Communication.RouterWorkerRegistered") {
      const workerId: string = event.data.workerId;
      void workerId;
    }
  });
  const listener = (event: RouterEvent): void => void event.id;
  emulator.once("RouterJobClosed", listener).off("RouterJobClosed", listener).off("*", listener);
  // @ts-expect-error unknown event name (the short names start with "Router")
  emulator.on("WorkerOfferIssued", listener);
  // @ts-expect-error unknown full event name
  emulator.once("Microsoft.Communication.JobQueued", listener);
  // @ts-expect-error a job event's jobId is a string
  emulator.on("RouterJobQueued", (event) => event.data.jobId.toFixed());
  // ---- event payloads (generated from the event schema through scripts/api/operations.json) ----
  emulator.on("RouterJobQueued", (event) => {
    const priority: number | undefined = event.data.priority;
    const selectors: AcsRouterWorkerSelector[] = event.data.attachedWorkerSelectors;
    const state: "active" | "expired" = selectors[0].state;
    const labels: Record<string, string> = event.data.labels;
    void priority, state, labels;
  });
  emulator.on("RouterWorkerOfferIssued", (event) => {
    assertType<Equal<typeof event.data.offeredOn, string>>();
    assertType<Equal<typeof event.data.jobPriority, number | undefined>>();
  });
  emulator.on("RouterWorkerUpdated", (event) => {
    const data: AcsRouterWorkerUpdatedEventData = event.data;
    void data;
  });
  // @ts-expect-error a queued job's priority is a number
  emulator.on("RouterJobQueued", (event) => event.data.priority?.toUpperCase());
  // @ts-expect-error a member the event's schema does not have (data is typed member by member, no index signature)
  emulator.on("RouterJobQueued", (event) => event.data.assignmentId);
  // @ts-expect-error the same for an offer event and a worker event
  emulator.on("RouterWorkerOfferIssued", (event) => event.data.dispositionCode);
  // @ts-expect-error a worker event
  emulator.on("RouterWorkerRegistered", (event) => event.data.jobId);
  emulator.removeAllListeners("RouterJobQueued").removeAllListeners();
  // @ts-expect-error unknown event name
  emulator.removeAllListeners("JobQueued");

  // ---- waitForEvent ----
  const offer = await emulator.waitForEvent("RouterWorkerOfferIssued", (event) => event.data.jobId === "job-1", { timeout: 1000 });
  assertType<Equal<typeof offer, RouterEvent<"RouterWorkerOfferIssued">>>();
  const anyEvent = await emulator.waitForEvent("*", { timeout: 500 });
  assertType<Equal<typeof anyEvent, RouterEvent>>();
  await emulator.waitForEvent("Microsoft.Communication.RouterJobCompleted");
  // @ts-expect-error unknown event name
  await emulator.waitForEvent("JobCompleted");
  // @ts-expect-error wrong option type: timeout is a number
  await emulator.waitForEvent("RouterJobQueued", { timeout: "1s" });

  // ---- faults ----
  emulator.faults.throttle({ requests: 5, perSeconds: 1 });
  emulator.faults.throttle();
  emulator.faults.throttle(false);
  emulator.faults.failNext({ count: 2, status: 503, method: "PATCH", path: /\/routing\/jobs\//, retryAfterSeconds: 1 });
  emulator.faults.failNext({ path: "/routing/queues/{queueId}", body: { error: { code: "Boom" } }, headers: { "x-test": "1" } });
  emulator.faults.throttle(true).latency(25).clear().failNext({ path: { regexp: "^/routing/jobs", flags: "i" } });
  emulator.faults.failNext();
  emulator.faults.latency({ ms: 50, jitterMs: 10, clock: "real" });
  emulator.faults.latency(null);
  const state: RouterFaultsState = emulator.faults.get();
  void state;
  emulator.faults.clear();
  // @ts-expect-error wrong option type: status is a number
  emulator.faults.failNext({ status: "503" });
  // @ts-expect-error latency needs ms
  emulator.faults.latency({ jitterMs: 5 });
  // @ts-expect-error faults is read-only
  emulator.faults = emulator.faults;

  // ---- clock, state, rules ----
  await emulator.clock.advance(30_000);
  const now: string = emulator.clock.now();
  emulator.clock.pause().setSpeed(60).resume();
  const snapshot = emulator.exportState();
  emulator.reset();
  emulator.reset({ listeners: true });
  emulator.importState(snapshot);
  emulator.registerFunction("https://rules.test/score", ({ job }, context) => (context.kind === "function" ? job : 1));
  await emulator.whenIdle();
  const explained = emulator.explain("job-1");
  const failed: RouterJob = await emulator.failScheduling("job-1", "reason");
  const raw = await emulator.handle("GET", "/routing/jobs?api-version=2023-11-01");
  const rawStatus: number = raw.status;
  // @ts-expect-error clock.advance takes milliseconds as a number
  await emulator.clock.advance("30s");
  void now, explained, failed, rawStatus;
  emulator.dispose();
  RouterEmulator.for("endpoint=https://t.communication.azure.com/;accesskey=ZGV2").dispose();
}

async function server(): Promise<void> {
  const running: RunningServer = await startServer({ port: 0, clock: "manual", silent: true });
  const url: string = running.url;
  running.emulator.on("RouterJobReceived", (event) => void event.data.jobId);
  // @ts-expect-error wrong option type: port is a number
  await startServer({ port: "8089" });
  void url;
  await running.close();
}

void emulatorControls, server;

// evaluateRule: the result narrows on "error" in it.
async function tryRule(emulator: RouterEmulator) {
  const result = await emulator.evaluateRule(
    { kind: "expression", language: "powerFx", expression: "If(IsBlank(job.Escalated), 1, 10)" },
    { job: { Region: "NA" } },
  );
  if ("error" in result) {
    const column: number | undefined = result.column;
    return column;
  }
  return result.value;
}
void tryRule;
// @ts-expect-error labels are objects of labels, not a string
void ((e: RouterEmulator) => e.evaluateRule({ kind: "static", value: 1 }, "job"));
