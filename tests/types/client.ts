// Types test of the client half (checked by scripts/check-types.mjs with tsc --strict, never run).
// Each `@ts-expect-error` line must be an error; everything else must compile.

import JobRouter, {
  createClient,
  createEmulatorHttpClient,
  isUnexpected,
  paginate,
  RestError,
  type AzureCommunicationRoutingServiceClient,
  type ErrorModelOutput,
  type ErrorResponseOutput,
  type GetJob200Response,
  type GetJobDefaultResponse,
  type HttpClient,
  type RouterJobOutput,
  type RouterWorkerOutput,
  type UpsertJob200Response,
  type UpsertJob201Response,
  type UpsertJobDefaultResponse,
} from "jobrouter-emulator";

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): void {}
declare function expectType<T>(value: T): void;

const merge = "application/merge-patch+json";

// ---- the factory: connection string, endpoint with or without a credential --------------------------

const client: AzureCommunicationRoutingServiceClient = JobRouter("endpoint=https://t.communication.azure.com/;accesskey=ZGV2");
JobRouter("https://t.communication.azure.com");
JobRouter("https://t.communication.azure.com", { key: "k" });
JobRouter("https://t.communication.azure.com", { getToken: async () => null }, { apiVersion: "2023-11-01" });
JobRouter("https://t.communication.azure.com", undefined, { emulator: { clock: "manual" } });
createClient("endpoint=https://t.communication.azure.com/;accesskey=ZGV2", { emulator: { clock: "manual", seed: 7 } });
// @ts-expect-error the first argument is a string
JobRouter(new URL("https://t.communication.azure.com"));
// @ts-expect-error wrong option type: clock is "real" | "manual"
JobRouter("https://t.communication.azure.com", { emulator: { clock: "fast" } });
// @ts-expect-error wrong option type: seed is a number
JobRouter("endpoint=https://t.communication.azure.com/;accesskey=ZGV2", { emulator: { seed: "7" } });
// @ts-expect-error unknown client option
JobRouter("endpoint=https://t.communication.azure.com/;accesskey=ZGV2", { emulatr: {} });

// ---- paths, verbs and bodies ---------------------------------------------------------------------------

async function paths(): Promise<void> {
  const res = await client.path("/routing/jobs/{jobId}", "job-1").patch({
    contentType: merge,
    body: { channelId: "voice", queueId: "q-1", priority: 5, labels: { language: "en" } },
  });
  // Before the check the body is a union of the job and the error body.
  expectType<RouterJobOutput | ErrorResponseOutput>(res.body);
  if (isUnexpected(res)) {
    assertType<Equal<typeof res, UpsertJobDefaultResponse>>();
    const error: ErrorModelOutput = (res.body.communicationError ?? res.body.error)!;
    throw new Error(`${res.status} ${error.code}: ${error.message}`);
  }
  assertType<Equal<typeof res, UpsertJob200Response | UpsertJob201Response>>();
  assertType<Equal<typeof res.body, RouterJobOutput>>();
  const id: string = res.body.id;
  const status: string | undefined = res.body.status;
  const etag: string | undefined = res.headers.etag;
  void id, status, etag;

  const got = await client.path("/routing/jobs/{jobId}", "job-1").get();
  if (isUnexpected(got)) {
    assertType<Equal<typeof got, GetJobDefaultResponse>>();
    throw got.body;
  }
  assertType<Equal<typeof got, GetJob200Response>>();

  const deleted = await client.path("/routing/workers/{workerId}", "w-1").delete();
  if (!isUnexpected(deleted)) expectType<"204">(deleted.status);

  const accepted = await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w-1", "offer-1").post();
  if (isUnexpected(accepted)) throw accepted.body;
  const assignmentId: string = accepted.body.assignmentId;

  await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "job-1", assignmentId).post({
    body: { dispositionCode: "done", closeAt: new Date() },
  });
  await client.path("/routing/jobs/{jobId}:cancel", "job-1").post({ body: { note: "n", dispositionCode: "c" } });
  await client.path("/routing/distributionPolicies/{distributionPolicyId}", "dp").patch({
    contentType: merge,
    body: { offerExpiresAfterSeconds: 60, mode: { kind: "bestWorker", scoringRule: { kind: "expression", expression: "1" } } },
    headers: { "If-Match": "*" },
  });

  // @ts-expect-error wrong field in a body
  await client.path("/routing/jobs/{jobId}", "job-1").patch({ contentType: merge, body: { channel: "voice" } });
  // @ts-expect-error wrong field type in a body
  await client.path("/routing/queues/{queueId}", "q").patch({ contentType: merge, body: { distributionPolicyId: 1 } });
  // @ts-expect-error upserts need the merge-patch content type
  await client.path("/routing/queues/{queueId}", "q").patch({ body: { distributionPolicyId: "dp" } });
  // @ts-expect-error wrong path template
  client.path("/routing/job/{jobId}", "job-1");
  // @ts-expect-error a template's parameter is missing
  client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "job-1");
  // @ts-expect-error wrong verb: the list path has no delete
  await client.path("/routing/jobs").delete();
  // @ts-expect-error wrong verb: actions are POST only
  await client.path("/routing/jobs/{jobId}:cancel", "job-1").get();
  // @ts-expect-error wrong query parameter type
  await client.path("/routing/workers").get({ queryParameters: { hasCapacity: "yes" } });

  // pathUnchecked: any path and verb, an untyped body.
  const raw = await client.pathUnchecked("/routing/anything/{x}", "1").delete();
  const rawBody: any = raw.body;
  void rawBody;
}

// ---- error bodies: the default shape and errorShape "spec" -------------------------------------------

function errorCode(body: ErrorResponseOutput): string {
  if (body.communicationError) return body.communicationError.code;
  return body.error.code;
}
errorCode({ communicationError: { code: "NotFound", message: "m" } });
errorCode({ error: { code: "NotFound", message: "m", details: [{ code: "c", message: "m" }] } });
function promisedShape(body: ErrorResponseOutput): string {
  // @ts-expect-error the default body is {communicationError}: body.error may be undefined
  return body.error.code;
}
void promisedShape;

// ---- paginate ----------------------------------------------------------------------------------------------

async function pages(): Promise<void> {
  const first = await client.path("/routing/jobs").get({ queryParameters: { maxpagesize: 10, status: "queued" } });
  for await (const job of paginate(client, first)) {
    assertType<Equal<typeof job, RouterJobOutput>>();
    const jobId: string = job.id;
    void jobId;
  }
  const workers = await client.path("/routing/workers").get({ queryParameters: { state: "active", hasCapacity: true } });
  if (isUnexpected(workers)) throw workers.body;
  for await (const page of paginate(client, workers).byPage({ maxPageSize: 5 })) {
    assertType<Equal<typeof page, RouterWorkerOutput[]>>();
  }
}

// ---- RestError, createEmulatorHttpClient --------------------------------------------------------------

function restError(error: unknown): number | undefined {
  if (error instanceof RestError) return error.statusCode;
  return undefined;
}

const httpClient = createEmulatorHttpClient(client.emulator);
createEmulatorHttpClient("https://t.communication.azure.com");
createEmulatorHttpClient();
// The emulator's HttpClient fits the client's own httpClient option.
JobRouter("endpoint=https://other.communication.azure.com/;accesskey=ZGV2", { httpClient });
const asHttpClient: HttpClient = httpClient;
// @ts-expect-error a number is not a target
createEmulatorHttpClient(42);

void paths, pages, restError, asHttpClient;
