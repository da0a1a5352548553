// Type declarations of jobrouter-emulator.
//
// The client half mirrors @azure-rest/communication-job-router 1.0.0 (REST API 2023-11-01) and the
// @azure-rest/core-client types it uses, so that code written against the official package
// type-checks after swapping the import. The emulator half (RouterEmulator) is this package's own.
// The models below are hand-written; the responses, request parameters and routes of the operations,
// isUnexpected() and the event names and payloads are generated into ./generated/api.d.ts from
// scripts/api/operations.json (npm run gen) and re-exported here.

import type { Routes, RouterEventDataMap, RouterEventShortName, RouterEventTypePrefix } from "./generated/api.js";
export * from "./generated/api.js";

// =================================================================================================
// Core-client shapes
// =================================================================================================

/** HTTP methods. */
export type HttpMethods = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";

/** Response headers as a plain object with lower-case names. */
export type RawHttpHeaders = { [headerName: string]: string };

/** Request headers as given by the caller. */
export type RawHttpHeadersInput = Record<string, string | number | boolean>;

/** Case-insensitive header collection (like @azure/core-rest-pipeline's HttpHeaders). */
export interface HttpHeaders extends Iterable<[string, string]> {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string | number | boolean): void;
  delete(name: string): void;
  toJSON(options?: { preserveCase?: boolean }): RawHttpHeaders;
}

/** Minimal abort signal (DOM and Node AbortSignal fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener?(type: "abort", listener: (this: AbortSignalLike, ev: any) => any, options?: any): void;
  removeEventListener?(type: "abort", listener: (this: AbortSignalLike, ev: any) => any, options?: any): void;
}

/** The request a response was produced for. */
export interface PipelineRequest {
  url: string;
  method: HttpMethods;
  headers: HttpHeaders;
  /** The serialized body (a string for JSON bodies). */
  body?: string | Uint8Array;
  timeout: number;
  withCredentials: boolean;
  requestId: string;
  allowInsecureConnection?: boolean;
  abortSignal?: AbortSignalLike;
  tracingOptions?: unknown;
  onUploadProgress?: (progress: { loadedBytes: number }) => void;
  onDownloadProgress?: (progress: { loadedBytes: number }) => void;
}

/** The raw response inside the pipeline (status as a number). */
export interface PipelineResponse {
  request: PipelineRequest;
  status: number;
  headers: HttpHeaders;
  bodyAsText?: string | null;
}

/** Raw response passed to RequestParameters.onResponse. */
export interface FullOperationResponse extends PipelineResponse {
  rawHeaders?: RawHttpHeaders;
  parsedBody?: unknown;
}

export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

export interface PipelinePolicy {
  name: string;
  sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

export interface HttpClient {
  sendRequest: SendRequest;
}

export interface AddPolicyOptions {
  beforePolicies?: string[];
  afterPolicies?: string[];
  afterPhase?: "Serialize" | "Retry" | "Sign";
  phase?: "Serialize" | "Retry" | "Sign";
}

/** The client's request pipeline: policies run in the order added, the emulator answers last. */
export interface Pipeline {
  /** Appends a policy (the ordering options are accepted and ignored). */
  addPolicy(policy: PipelinePolicy, options?: AddPolicyOptions): void;
  /** Removes the policies with this name and returns them. */
  removePolicy(options: { name?: string; phase?: string }): PipelinePolicy[];
  sendRequest(httpClient: HttpClient, request: PipelineRequest): Promise<PipelineResponse>;
  getOrderedPolicies(): PipelinePolicy[];
  clone(): Pipeline;
}

/** Options of every request (core-client's RequestParameters). */
export interface RequestParameters {
  /** Headers to send; names are case-insensitive. */
  headers?: RawHttpHeadersInput;
  /** The accept header (default "application/json"). */
  accept?: string;
  /** The body: serialized with JSON.stringify (Dates become ISO strings). */
  body?: unknown;
  /** Query parameters (Dates are sent with toISOString(); undefined and null are skipped). */
  queryParameters?: Record<string, unknown>;
  /** The content-type of the body (default "application/json; charset=UTF-8"). */
  contentType?: string;
  /** Needed to call an http:// endpoint. */
  allowInsecureConnection?: boolean;
  /** Sends path and query values as given instead of URL-encoding them. */
  skipUrlEncoding?: boolean;
  timeout?: number;
  abortSignal?: AbortSignalLike;
  tracingOptions?: unknown;
  onUploadProgress?: (progress: { loadedBytes: number }) => void;
  onDownloadProgress?: (progress: { loadedBytes: number }) => void;
  /** Called with the raw response before the promise resolves. */
  onResponse?: (rawResponse: FullOperationResponse, error?: unknown) => void;
}

/** A response: `status` is the HTTP status code as a string. */
export interface HttpResponse {
  request: PipelineRequest;
  headers: RawHttpHeaders;
  body: unknown;
  status: string;
}

export type PathUncheckedResponse = HttpResponse & { body: any };

/** What every verb returns (the official type also has asNodeStream/asBrowserStream). */
export type StreamableMethod<TResponse = PathUncheckedResponse> = Promise<TResponse>;

/** The verbs of an unchecked path. */
export interface ResourceMethods {
  get(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  post(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  put(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  patch(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  delete(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  head(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  options(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
  trace(options?: RequestParameters): StreamableMethod<PathUncheckedResponse>;
}

/** One string argument per "{name}" placeholder of a path template. */
export type PathParameters<TRoute extends string> =
  TRoute extends `${infer _Head}/{${infer _Param}}${infer Tail}`
    ? [pathParameter: string, ...pathParameters: PathParameters<Tail>]
    : [];

export type PathUnchecked = <TPath extends string>(path: TPath, ...args: PathParameters<TPath>) => ResourceMethods;

/** Credentials are accepted and ignored by the emulator. */
export interface KeyCredential {
  readonly key: string;
}
export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
}
export interface TokenCredential {
  getToken(scopes: string | string[], options?: any): Promise<AccessToken | null>;
}

/** The official ClientOptions (most pipeline options are accepted and ignored) plus `emulator`. */
export interface JobRouterClientOptions {
  /** The api-version added to requests that have none (default "2023-11-01"; "" adds none). */
  apiVersion?: string;
  /** Overrides the endpoint (and so the emulated resource) the client talks to. */
  endpoint?: string;
  /** Same as endpoint. */
  baseUrl?: string;
  /** Needed for an http:// endpoint. */
  allowInsecureConnection?: boolean;
  /** Policies added to the pipeline. */
  additionalPolicies?: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
  /** Replaces the in-process transport (requests then leave the emulator). */
  httpClient?: HttpClient;
  credentials?: { scopes?: string[]; apiKeyHeaderName?: string };
  userAgentOptions?: { userAgentPrefix?: string };
  retryOptions?: unknown;
  loggingOptions?: unknown;
  proxyOptions?: unknown;
  redirectOptions?: unknown;
  telemetryOptions?: unknown;
  tlsOptions?: unknown;
  /**
   * The emulated resource: options for the endpoint's emulator (when it is the first client of the
   * endpoint, or with options equal to the existing emulator's; different options throw), or a
   * RouterEmulator instance to bind to (it becomes the endpoint's shared resource).
   */
  emulator?: RouterEmulatorOptions | RouterEmulator;
}

/** The official name of the client options type. */
export type AzureCommunicationRoutingServiceClientOptions = JobRouterClientOptions;
/** The official name of core-client's client options. */
export type ClientOptions = JobRouterClientOptions;

/** A REST-level client (core-client's Client). */
export interface Client {
  pipeline: Pipeline;
  path: PathUnchecked;
  pathUnchecked: PathUnchecked;
}

// =================================================================================================
// Models (request side: what may be sent; dates as Date or ISO-8601 string)
// =================================================================================================

/** Label operators of worker and queue selectors. */
export type LabelOperator = "equal" | "notEqual" | "lessThan" | "lessThanOrEqual" | "greaterThan" | "greaterThanOrEqual";
/** A label, tag or selector value: primitives only. */
export type LabelValue = string | number | boolean;

export interface RouterQueueSelector {
  key: string;
  /** Possible values: equal, notEqual, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual */
  labelOperator: LabelOperator | string;
  value?: any;
}

export interface RouterWorkerSelector {
  key: string;
  /** Possible values: equal, notEqual, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual */
  labelOperator: LabelOperator | string;
  value?: any;
  /** How long this selector stays valid, in seconds. */
  expiresAfterSeconds?: number;
  /** While this selector is active, the job goes to the front of its queue. */
  expedite?: boolean;
}

// ---- rules ----

export interface RouterRuleParent {
  kind: string;
}
export interface DirectMapRouterRule extends RouterRuleParent {
  kind: "directMap";
}
export interface ExpressionRouterRule extends RouterRuleParent {
  /** Possible values: powerFx */
  language?: "powerFx" | string;
  expression: string;
  kind: "expression";
}
export interface FunctionRouterRuleCredential {
  functionKey?: string;
  appKey?: string;
  clientId?: string;
}
export interface FunctionRouterRule extends RouterRuleParent {
  functionUri: string;
  credential?: FunctionRouterRuleCredential;
  kind: "function";
}
export interface StaticRouterRule extends RouterRuleParent {
  value?: any;
  kind: "static";
}
export interface OAuth2WebhookClientCredential {
  clientId?: string;
  clientSecret?: string;
}
export interface WebhookRouterRule extends RouterRuleParent {
  authorizationServerUri?: string;
  clientCredential?: OAuth2WebhookClientCredential;
  webhookUri?: string;
  kind: "webhook";
}
export type RouterRule =
  | DirectMapRouterRule
  | ExpressionRouterRule
  | FunctionRouterRule
  | StaticRouterRule
  | WebhookRouterRule
  | RouterRuleParent;

// ---- queue selector attachments ----

export interface QueueSelectorAttachmentParent {
  kind: string;
}
export interface ConditionalQueueSelectorAttachment extends QueueSelectorAttachmentParent {
  condition: RouterRule;
  queueSelectors: RouterQueueSelector[];
  kind: "conditional";
}
export interface PassThroughQueueSelectorAttachment extends QueueSelectorAttachmentParent {
  key: string;
  labelOperator: LabelOperator | string;
  kind: "passThrough";
}
export interface RuleEngineQueueSelectorAttachment extends QueueSelectorAttachmentParent {
  rule: RouterRule;
  kind: "ruleEngine";
}
export interface StaticQueueSelectorAttachment extends QueueSelectorAttachmentParent {
  queueSelector: RouterQueueSelector;
  kind: "static";
}
export interface QueueWeightedAllocation {
  /** A fraction of 1. */
  weight: number;
  queueSelectors: RouterQueueSelector[];
}
export interface WeightedAllocationQueueSelectorAttachment extends QueueSelectorAttachmentParent {
  allocations: QueueWeightedAllocation[];
  kind: "weightedAllocation";
}
export type QueueSelectorAttachment =
  | ConditionalQueueSelectorAttachment
  | PassThroughQueueSelectorAttachment
  | RuleEngineQueueSelectorAttachment
  | StaticQueueSelectorAttachment
  | WeightedAllocationQueueSelectorAttachment
  | QueueSelectorAttachmentParent;

// ---- worker selector attachments ----

export interface WorkerSelectorAttachmentParent {
  kind: string;
}
export interface ConditionalWorkerSelectorAttachment extends WorkerSelectorAttachmentParent {
  condition: RouterRule;
  workerSelectors: RouterWorkerSelector[];
  kind: "conditional";
}
export interface PassThroughWorkerSelectorAttachment extends WorkerSelectorAttachmentParent {
  key: string;
  labelOperator: LabelOperator | string;
  expiresAfterSeconds?: number;
  kind: "passThrough";
}
export interface RuleEngineWorkerSelectorAttachment extends WorkerSelectorAttachmentParent {
  rule: RouterRule;
  kind: "ruleEngine";
}
export interface StaticWorkerSelectorAttachment extends WorkerSelectorAttachmentParent {
  workerSelector: RouterWorkerSelector;
  kind: "static";
}
export interface WorkerWeightedAllocation {
  /** A fraction of 1. */
  weight: number;
  workerSelectors: RouterWorkerSelector[];
}
export interface WeightedAllocationWorkerSelectorAttachment extends WorkerSelectorAttachmentParent {
  allocations: WorkerWeightedAllocation[];
  kind: "weightedAllocation";
}
export type WorkerSelectorAttachment =
  | ConditionalWorkerSelectorAttachment
  | PassThroughWorkerSelectorAttachment
  | RuleEngineWorkerSelectorAttachment
  | StaticWorkerSelectorAttachment
  | WeightedAllocationWorkerSelectorAttachment
  | WorkerSelectorAttachmentParent;

// ---- distribution modes ----

export interface DistributionModeParent {
  /** Default 1. */
  minConcurrentOffers?: number;
  /** Default 1. */
  maxConcurrentOffers?: number;
  /** Default false. */
  bypassSelectors?: boolean;
  kind: string;
}
export interface ScoringRuleOptions {
  /** Default 20. */
  batchSize?: number;
  /** Possible values: jobLabels, workerSelectors. Default both. */
  scoringParameters?: ("jobLabels" | "workerSelectors" | string)[];
  /** Default false. */
  isBatchScoringEnabled?: boolean;
  /** Default true. */
  descendingOrder?: boolean;
}
export interface BestWorkerMode extends DistributionModeParent {
  scoringRule?: RouterRule;
  scoringRuleOptions?: ScoringRuleOptions;
  kind: "bestWorker";
}
export interface LongestIdleMode extends DistributionModeParent {
  kind: "longestIdle";
}
export interface RoundRobinMode extends DistributionModeParent {
  kind: "roundRobin";
}
export type DistributionMode = BestWorkerMode | LongestIdleMode | RoundRobinMode | DistributionModeParent;

// ---- exception rules ----

export interface ExceptionTriggerParent {
  kind: string;
}
export interface QueueLengthExceptionTrigger extends ExceptionTriggerParent {
  threshold: number;
  kind: "queueLength";
}
export interface WaitTimeExceptionTrigger extends ExceptionTriggerParent {
  thresholdSeconds: number;
  kind: "waitTime";
}
export type ExceptionTrigger = QueueLengthExceptionTrigger | WaitTimeExceptionTrigger | ExceptionTriggerParent;

export interface ExceptionActionParent {
  /** Generated when absent. */
  id?: string;
  kind: string;
}
export interface CancelExceptionAction extends ExceptionActionParent {
  note?: string;
  dispositionCode?: string;
  kind: "cancel";
}
export interface ManualReclassifyExceptionAction extends ExceptionActionParent {
  queueId?: string;
  priority?: number;
  workerSelectors?: RouterWorkerSelector[];
  kind: "manualReclassify";
}
export interface ReclassifyExceptionAction extends ExceptionActionParent {
  classificationPolicyId?: string;
  labelsToUpsert?: Record<string, any>;
  kind: "reclassify";
}
export type ExceptionAction =
  | CancelExceptionAction
  | ManualReclassifyExceptionAction
  | ReclassifyExceptionAction
  | ExceptionActionParent;

export interface ExceptionRule {
  id: string;
  trigger: ExceptionTrigger;
  actions: ExceptionAction[];
}

// ---- matching modes ----

export interface JobMatchingModeParent {
  kind: string;
}
export interface ScheduleAndSuspendMode extends JobMatchingModeParent {
  scheduleAt: Date | string;
  kind: "scheduleAndSuspend";
}
export interface QueueAndMatchMode extends JobMatchingModeParent {
  kind: "queueAndMatch";
}
export interface SuspendMode extends JobMatchingModeParent {
  kind: "suspend";
}
export type JobMatchingMode = ScheduleAndSuspendMode | QueueAndMatchMode | SuspendMode | JobMatchingModeParent;

// ---- resources ----

export interface ClassificationPolicy {
  name?: string;
  fallbackQueueId?: string;
  queueSelectorAttachments?: QueueSelectorAttachment[];
  prioritizationRule?: RouterRule;
  workerSelectorAttachments?: WorkerSelectorAttachment[];
}
export interface DistributionPolicy {
  name?: string;
  offerExpiresAfterSeconds?: number;
  mode?: DistributionMode;
}
export interface ExceptionPolicy {
  name?: string;
  exceptionRules?: ExceptionRule[];
}
export interface RouterQueue {
  name?: string;
  distributionPolicyId?: string;
  labels?: Record<string, any>;
  exceptionPolicyId?: string;
}
export interface RouterChannel {
  channelId: string;
  capacityCostPerJob: number;
  /** Greater than zero. */
  maxNumberOfJobs?: number;
}
export interface RouterWorker {
  queues?: string[];
  capacity?: number;
  labels?: Record<string, any>;
  tags?: Record<string, any>;
  channels?: RouterChannel[];
  availableForOffers?: boolean;
}
export interface RouterJobNote {
  message: string;
  /** Defaults to the current (virtual) time. */
  addedAt?: Date | string;
}
export interface RouterJob {
  channelReference?: string;
  channelId?: string;
  classificationPolicyId?: string;
  queueId?: string;
  /** -100 .. 100, default 1. */
  priority?: number;
  dispositionCode?: string;
  requestedWorkerSelectors?: RouterWorkerSelector[];
  labels?: Record<string, any>;
  tags?: Record<string, any>;
  notes?: RouterJobNote[];
  matchingMode?: JobMatchingMode;
}

/** Merge-patch bodies of the six upserts (null removes a member). */
export type ClassificationPolicyResourceMergeAndPatch = Partial<ClassificationPolicy>;
export type DistributionPolicyResourceMergeAndPatch = Partial<DistributionPolicy>;
export type ExceptionPolicyResourceMergeAndPatch = Partial<ExceptionPolicy>;
export type RouterQueueResourceMergeAndPatch = Partial<RouterQueue>;
export type RouterWorkerResourceMergeAndPatch = Partial<RouterWorker>;
export type RouterJobResourceMergeAndPatch = Partial<RouterJob>;

// ---- action options ----

export interface ReclassifyJobOptions {}
export interface CancelJobOptions {
  note?: string;
  /** Default "Cancelled". */
  dispositionCode?: string;
}
export interface CompleteJobOptions {
  note?: string;
}
export interface CloseJobOptions {
  dispositionCode?: string;
  closeAt?: Date | string;
  note?: string;
}
export interface UnassignJobOptions {
  suspendMatching?: boolean;
}
export interface DeclineJobOfferOptions {
  retryOfferAt?: Date | string;
}

// =================================================================================================
// Output models (response side: dates as ISO-8601 strings)
// =================================================================================================

export interface RouterQueueSelectorOutput {
  key: string;
  labelOperator: string;
  value?: any;
}
export interface RouterWorkerSelectorOutput {
  key: string;
  labelOperator: string;
  value?: any;
  expiresAfterSeconds?: number;
  expedite?: boolean;
  /** Possible values: active, expired */
  readonly status?: string;
  readonly expiresAt?: string;
}

export interface RouterRuleOutputParent {
  kind: string;
}
export interface DirectMapRouterRuleOutput extends RouterRuleOutputParent {
  kind: "directMap";
}
export interface ExpressionRouterRuleOutput extends RouterRuleOutputParent {
  language?: string;
  expression: string;
  kind: "expression";
}
export interface FunctionRouterRuleCredentialOutput {
  functionKey?: string;
  appKey?: string;
  clientId?: string;
}
export interface FunctionRouterRuleOutput extends RouterRuleOutputParent {
  functionUri: string;
  credential?: FunctionRouterRuleCredentialOutput;
  kind: "function";
}
export interface StaticRouterRuleOutput extends RouterRuleOutputParent {
  value?: any;
  kind: "static";
}
export interface OAuth2WebhookClientCredentialOutput {
  clientId?: string;
  clientSecret?: string;
}
export interface WebhookRouterRuleOutput extends RouterRuleOutputParent {
  authorizationServerUri?: string;
  clientCredential?: OAuth2WebhookClientCredentialOutput;
  webhookUri?: string;
  kind: "webhook";
}
export type RouterRuleOutput =
  | DirectMapRouterRuleOutput
  | ExpressionRouterRuleOutput
  | FunctionRouterRuleOutput
  | StaticRouterRuleOutput
  | WebhookRouterRuleOutput;

export interface QueueSelectorAttachmentOutputParent {
  kind: string;
}
export interface ConditionalQueueSelectorAttachmentOutput extends QueueSelectorAttachmentOutputParent {
  condition: RouterRuleOutput;
  queueSelectors: RouterQueueSelectorOutput[];
  kind: "conditional";
}
export interface PassThroughQueueSelectorAttachmentOutput extends QueueSelectorAttachmentOutputParent {
  key: string;
  labelOperator: string;
  kind: "passThrough";
}
export interface RuleEngineQueueSelectorAttachmentOutput extends QueueSelectorAttachmentOutputParent {
  rule: RouterRuleOutput;
  kind: "ruleEngine";
}
export interface StaticQueueSelectorAttachmentOutput extends QueueSelectorAttachmentOutputParent {
  queueSelector: RouterQueueSelectorOutput;
  kind: "static";
}
export interface QueueWeightedAllocationOutput {
  weight: number;
  queueSelectors: RouterQueueSelectorOutput[];
}
export interface WeightedAllocationQueueSelectorAttachmentOutput extends QueueSelectorAttachmentOutputParent {
  allocations: QueueWeightedAllocationOutput[];
  kind: "weightedAllocation";
}
export type QueueSelectorAttachmentOutput =
  | ConditionalQueueSelectorAttachmentOutput
  | PassThroughQueueSelectorAttachmentOutput
  | RuleEngineQueueSelectorAttachmentOutput
  | StaticQueueSelectorAttachmentOutput
  | WeightedAllocationQueueSelectorAttachmentOutput;

export interface WorkerSelectorAttachmentOutputParent {
  kind: string;
}
export interface ConditionalWorkerSelectorAttachmentOutput extends WorkerSelectorAttachmentOutputParent {
  condition: RouterRuleOutput;
  workerSelectors: RouterWorkerSelectorOutput[];
  kind: "conditional";
}
export interface PassThroughWorkerSelectorAttachmentOutput extends WorkerSelectorAttachmentOutputParent {
  key: string;
  labelOperator: string;
  expiresAfterSeconds?: number;
  kind: "passThrough";
}
export interface RuleEngineWorkerSelectorAttachmentOutput extends WorkerSelectorAttachmentOutputParent {
  rule: RouterRuleOutput;
  kind: "ruleEngine";
}
export interface StaticWorkerSelectorAttachmentOutput extends WorkerSelectorAttachmentOutputParent {
  workerSelector: RouterWorkerSelectorOutput;
  kind: "static";
}
export interface WorkerWeightedAllocationOutput {
  weight: number;
  workerSelectors: RouterWorkerSelectorOutput[];
}
export interface WeightedAllocationWorkerSelectorAttachmentOutput extends WorkerSelectorAttachmentOutputParent {
  allocations: WorkerWeightedAllocationOutput[];
  kind: "weightedAllocation";
}
export type WorkerSelectorAttachmentOutput =
  | ConditionalWorkerSelectorAttachmentOutput
  | PassThroughWorkerSelectorAttachmentOutput
  | RuleEngineWorkerSelectorAttachmentOutput
  | StaticWorkerSelectorAttachmentOutput
  | WeightedAllocationWorkerSelectorAttachmentOutput;

export interface DistributionModeOutputParent {
  minConcurrentOffers?: number;
  maxConcurrentOffers?: number;
  bypassSelectors?: boolean;
  kind: string;
}
export interface ScoringRuleOptionsOutput {
  batchSize?: number;
  scoringParameters?: string[];
  isBatchScoringEnabled?: boolean;
  descendingOrder?: boolean;
}
export interface BestWorkerModeOutput extends DistributionModeOutputParent {
  scoringRule?: RouterRuleOutput;
  scoringRuleOptions?: ScoringRuleOptionsOutput;
  kind: "bestWorker";
}
export interface LongestIdleModeOutput extends DistributionModeOutputParent {
  kind: "longestIdle";
}
export interface RoundRobinModeOutput extends DistributionModeOutputParent {
  kind: "roundRobin";
}
export type DistributionModeOutput = BestWorkerModeOutput | LongestIdleModeOutput | RoundRobinModeOutput;

export interface ExceptionTriggerOutputParent {
  kind: string;
}
export interface QueueLengthExceptionTriggerOutput extends ExceptionTriggerOutputParent {
  threshold: number;
  kind: "queueLength";
}
export interface WaitTimeExceptionTriggerOutput extends ExceptionTriggerOutputParent {
  thresholdSeconds: number;
  kind: "waitTime";
}
export type ExceptionTriggerOutput = QueueLengthExceptionTriggerOutput | WaitTimeExceptionTriggerOutput;

export interface ExceptionActionOutputParent {
  id?: string;
  kind: string;
}
export interface CancelExceptionActionOutput extends ExceptionActionOutputParent {
  note?: string;
  dispositionCode?: string;
  kind: "cancel";
}
export interface ManualReclassifyExceptionActionOutput extends ExceptionActionOutputParent {
  queueId?: string;
  priority?: number;
  workerSelectors?: RouterWorkerSelectorOutput[];
  kind: "manualReclassify";
}
export interface ReclassifyExceptionActionOutput extends ExceptionActionOutputParent {
  classificationPolicyId?: string;
  labelsToUpsert?: Record<string, any>;
  kind: "reclassify";
}
export type ExceptionActionOutput =
  | CancelExceptionActionOutput
  | ManualReclassifyExceptionActionOutput
  | ReclassifyExceptionActionOutput;

export interface ExceptionRuleOutput {
  id: string;
  trigger: ExceptionTriggerOutput;
  actions: ExceptionActionOutput[];
}

export interface JobMatchingModeOutputParent {
  kind: string;
}
export interface ScheduleAndSuspendModeOutput extends JobMatchingModeOutputParent {
  scheduleAt: string;
  kind: "scheduleAndSuspend";
}
export interface QueueAndMatchModeOutput extends JobMatchingModeOutputParent {
  kind: "queueAndMatch";
}
export interface SuspendModeOutput extends JobMatchingModeOutputParent {
  kind: "suspend";
}
export type JobMatchingModeOutput = ScheduleAndSuspendModeOutput | QueueAndMatchModeOutput | SuspendModeOutput;

export interface ClassificationPolicyOutput {
  readonly etag: string;
  readonly id: string;
  name?: string;
  fallbackQueueId?: string;
  queueSelectorAttachments?: QueueSelectorAttachmentOutput[];
  prioritizationRule?: RouterRuleOutput;
  workerSelectorAttachments?: WorkerSelectorAttachmentOutput[];
}
export interface DistributionPolicyOutput {
  readonly etag: string;
  readonly id: string;
  name?: string;
  offerExpiresAfterSeconds?: number;
  mode?: DistributionModeOutput;
}
export interface ExceptionPolicyOutput {
  readonly etag: string;
  readonly id: string;
  name?: string;
  exceptionRules?: ExceptionRuleOutput[];
}
export interface RouterQueueOutput {
  readonly etag: string;
  readonly id: string;
  name?: string;
  distributionPolicyId?: string;
  labels?: Record<string, any>;
  exceptionPolicyId?: string;
}
export interface RouterChannelOutput {
  channelId: string;
  capacityCostPerJob: number;
  maxNumberOfJobs?: number;
}
export interface RouterJobOfferOutput {
  readonly offerId: string;
  jobId: string;
  capacityCost: number;
  offeredAt?: string;
  expiresAt?: string;
}
export interface RouterWorkerAssignmentOutput {
  assignmentId: string;
  jobId: string;
  capacityCost: number;
  assignedAt: string;
}
export interface RouterWorkerOutput {
  readonly etag: string;
  readonly id: string;
  /** Possible values: active, draining, inactive */
  readonly state?: string;
  queues?: string[];
  capacity?: number;
  labels?: Record<string, any>;
  tags?: Record<string, any>;
  channels?: RouterChannelOutput[];
  readonly offers?: RouterJobOfferOutput[];
  readonly assignedJobs?: RouterWorkerAssignmentOutput[];
  readonly loadRatio?: number;
  availableForOffers?: boolean;
}
export interface RouterJobAssignmentOutput {
  readonly assignmentId: string;
  workerId?: string;
  assignedAt: string;
  completedAt?: string;
  closedAt?: string;
}
export interface RouterJobNoteOutput {
  message: string;
  addedAt?: string;
}
export interface RouterJobOutput {
  readonly etag: string;
  readonly id: string;
  channelReference?: string;
  /**
   * Possible values: pendingClassification, queued, assigned, completed, closed, cancelled,
   * classificationFailed, created, pendingSchedule, scheduled, scheduleFailed, waitingForActivation
   */
  readonly status?: string;
  readonly enqueuedAt?: string;
  channelId?: string;
  classificationPolicyId?: string;
  queueId?: string;
  priority?: number;
  dispositionCode?: string;
  requestedWorkerSelectors?: RouterWorkerSelectorOutput[];
  readonly attachedWorkerSelectors?: RouterWorkerSelectorOutput[];
  labels?: Record<string, any>;
  readonly assignments?: Record<string, RouterJobAssignmentOutput>;
  tags?: Record<string, any>;
  notes?: RouterJobNoteOutput[];
  readonly scheduledAt?: string;
  matchingMode?: JobMatchingModeOutput;
}

export interface ReclassifyJobResultOutput {}
export interface CancelJobResultOutput {}
export interface CompleteJobResultOutput {}
export interface CloseJobResultOutput {}
export interface DeclineJobOfferResultOutput {}
export interface UnassignJobResultOutput {
  jobId: string;
  unassignmentCount: number;
}
export interface AcceptJobOfferResultOutput {
  assignmentId: string;
  jobId: string;
  workerId: string;
}
export interface RouterJobPositionDetailsOutput {
  jobId: string;
  position: number;
  queueId: string;
  queueLength: number;
  estimatedWaitTimeMinutes: number;
}
export interface RouterQueueStatisticsOutput {
  queueId: string;
  length: number;
  estimatedWaitTimeMinutes?: Record<string, number>;
  longestJobWaitTimeMinutes?: number;
}

/** A page of a list operation. */
export interface Paged<T> {
  value: T[];
  /** Relative link to the next page; absent on the last page. */
  nextLink?: string;
}
export type PagedClassificationPolicyOutput = Paged<ClassificationPolicyOutput>;
export type PagedDistributionPolicyOutput = Paged<DistributionPolicyOutput>;
export type PagedExceptionPolicyOutput = Paged<ExceptionPolicyOutput>;
export type PagedRouterQueueOutput = Paged<RouterQueueOutput>;
export type PagedRouterJobOutput = Paged<RouterJobOutput>;
export type PagedRouterWorkerOutput = Paged<RouterWorkerOutput>;

/** One error. */
export interface ErrorModelOutput {
  code: string;
  message: string;
  target?: string;
  details?: ErrorModelOutput[];
  innererror?: InnerErrorOutput;
}
export interface InnerErrorOutput {
  code?: string;
  innererror?: InnerErrorOutput;
}
/** The error body the real service, and the emulator by default (errorShape "real"), sends. */
export interface CommunicationErrorResponseOutput {
  communicationError: ErrorModelOutput;
  error?: undefined;
}
/** The error body of the emulator option errorShape "spec" (the shape the official types declare). */
export interface SpecErrorResponseOutput {
  error: ErrorModelOutput;
  communicationError?: undefined;
}
/**
 * An error body: `{"communicationError": {...}}` by default (as the real service sends it), or
 * `{"error": {...}}` plus the x-ms-error-code header with the emulator option errorShape "spec".
 * Read the code with `(body.communicationError ?? body.error).code`.
 */
export type ErrorResponseOutput = CommunicationErrorResponseOutput | SpecErrorResponseOutput;

// =================================================================================================
// Responses
// =================================================================================================

/** Headers of GET-by-id and upsert responses. */
export interface ResourceResponseHeaders {
  /** The entity tag (quoted), equal to body.etag. */
  etag?: string;
  /** RFC 1123 date of the last change. */
  "last-modified"?: string;
}
/** Headers of error responses. */
export interface ErrorResponseHeaders {
  /** Sent with errorShape "spec". */
  "x-ms-error-code"?: string;
}

// The responses, request parameters and routes of the operations are generated: see ./generated/api.js.

/** The client: the official AzureCommunicationRoutingServiceClient plus `emulator`. */
export interface AzureCommunicationRoutingServiceClient {
  pipeline: Pipeline;
  path: Routes;
  pathUnchecked: PathUnchecked;
  /** The emulated resource this client talks to (shared by every client of its endpoint). */
  readonly emulator: RouterEmulator;
}
export type JobRouterClient = AzureCommunicationRoutingServiceClient;

/**
 * Creates a client served by the in-process emulator.
 * @param connectionString "endpoint=https://<resource>.communication.azure.com/;accesskey=<key>"
 */
export declare function JobRouter(connectionString: string, options?: JobRouterClientOptions): AzureCommunicationRoutingServiceClient;
/**
 * Creates a client served by the in-process emulator.
 * @param endpoint "https://<resource>.communication.azure.com"
 * @param credential a KeyCredential or TokenCredential (accepted and ignored)
 */
export declare function JobRouter(endpoint: string, credential?: KeyCredential | TokenCredential, options?: JobRouterClientOptions): AzureCommunicationRoutingServiceClient;
export { JobRouter as createClient };
export default JobRouter;

/**
 * An HttpClient (core-rest-pipeline's shape) that serves requests with an emulator: a RouterEmulator,
 * or an endpoint / connection string naming the endpoint's shared emulator. Hand it to the official
 * `@azure-rest/communication-job-router` client (`{ httpClient }`) to run it against the emulator.
 */
export { createEmulatorHttpClient } from "./http-client.js";

// =================================================================================================
// isUnexpected, paginate, RestError
// =================================================================================================

// isUnexpected() is declared with the operations in ./generated/api.js.

export interface PageSettings {
  /** A link to start from instead of the first response. */
  continuationToken?: string;
  /** Accepted and ignored: the page size is the maxpagesize of the first request. */
  maxPageSize?: number;
}
export interface PagedAsyncIterableIterator<TElement, TPage = TElement[], TPageSettings = PageSettings> {
  next(): Promise<IteratorResult<TElement>>;
  [Symbol.asyncIterator](): PagedAsyncIterableIterator<TElement, TPage, TPageSettings>;
  byPage(settings?: TPageSettings): AsyncIterableIterator<TPage>;
}
export type GetArrayType<T> = T extends Array<infer TData> ? TData : never;
/**
 * The item type of a list response. The default (error) member of a list operation's response union
 * adds nothing: paginate throws a RestError for a response that is not a page.
 */
export type PaginateReturn<TResult> = TResult extends { body: { value?: infer TPage } } ? GetArrayType<TPage> : never;
export type GetPage<TPage> = (pageLink: string, maxPageSize?: number) => Promise<{ page: TPage; nextPageLink?: string }>;
export interface PagingOptions<TResponse> {
  customGetPage?: GetPage<PaginateReturn<TResponse>[]>;
}

/**
 * Iterates the items of a list response, fetching the next pages through nextLink
 * (client.pathUnchecked(nextLink).get()). A page with a non-2xx status throws a RestError.
 */
export declare function paginate<TResponse extends PathUncheckedResponse>(
  client: Client | AzureCommunicationRoutingServiceClient,
  initialResponse: TResponse,
  options?: PagingOptions<TResponse>,
): PagedAsyncIterableIterator<PaginateReturn<TResponse>>;

/** Error thrown for a failed page (paginate) or an unparsable JSON body. */
export declare class RestError extends Error {
  static readonly REQUEST_SEND_ERROR: string;
  static readonly PARSE_ERROR: string;
  constructor(message: string, options?: { code?: string; statusCode?: number; request?: PipelineRequest; response?: PipelineResponse; details?: unknown });
  /** The service error code (e.g. "NotFound"), when the body has one. */
  code?: string;
  statusCode?: number;
  request?: PipelineRequest;
  response?: PipelineResponse & { parsedBody?: unknown };
  /** The parsed error body. */
  details?: unknown;
}

// =================================================================================================
// The emulator
// =================================================================================================

export interface RouterEmulatorOptions {
  /** "real" (default): the virtual clock follows wall time; "manual": it moves only through clock.advance/setTime. */
  clock?: "real" | "manual";
  /** Real clock only: virtual milliseconds per wall-clock millisecond (default 1; 60 = a minute per second). */
  speed?: number;
  /** Seed of generated ids (offers, assignments, exception actions); default 1. */
  seed?: number;
  /** Initial virtual time; default the current time (real clock) or 2024-01-01T00:00:00Z (manual clock). */
  startTime?: string | Date | number;
  /** false accepts any or no api-version; default true. */
  checkApiVersion?: boolean;
  /** Alias of checkApiVersion. */
  apiVersionCheck?: boolean;
  /** "real" (default): {"communicationError": {...}}; "spec": {"error": {...}} + x-ms-error-code. */
  errorShape?: "real" | "spec";
  /** Text of number and boolean label/tag values in events: "json" (true, 2.5; default) or "dotnet" (True, 2.5). */
  eventLabelText?: "json" | "dotnet";
  /**
   * Resource limits (0: none; absent: the default). Past one, a write answers 507 EmulatorLimitExceeded and
   * changes nothing. Defaults: storedBytes 256 MiB of resource JSON, 250,000 jobs, 50,000 workers,
   * 10,000 queues, 10,000 policies of each kind.
   */
  limits?: RouterLimits;
}

/** The normalized options of an emulator. */
export interface ResolvedRouterEmulatorOptions {
  readonly clock: "real" | "manual";
  readonly speed: number;
  readonly seed: number;
  /** undefined: the default start. */
  readonly startTime: string | undefined;
  readonly checkApiVersion: boolean;
  readonly errorShape: "real" | "spec";
  readonly eventLabelText: "json" | "dotnet";
  readonly limits: Readonly<RouterLimits>;
}

/** An event type as on/once/off/waitForEvent take it: the short name or the full Event Grid type. */
export type RouterEventName = RouterEventShortName | `${RouterEventTypePrefix}${RouterEventShortName}`;

/** An event type or "*" (every event). */
export type RouterEventType = RouterEventName | "*";

/** The 22 short event names, in the order of the Event Grid documentation's table. */
export declare const EVENT_TYPES: readonly RouterEventShortName[];

/** The short name of an event type ("*" stands for every name). */
export type RouterEventShortNameOf<T extends RouterEventType> = T extends "*"
  ? RouterEventShortName
  : T extends `${RouterEventTypePrefix}${infer Short extends RouterEventShortName}`
    ? Short
    : Extract<T, RouterEventShortName>;

/** Members every job event's data has (the rest depends on the event; see the Event Grid schemas). */
export interface RouterJobEventData {
  jobId: string;
  channelId: string;
  channelReference?: string;
  queueId?: string;
}
/** Members every offer event's data has. */
export interface RouterOfferEventData {
  workerId: string;
  jobId: string;
  offerId: string;
  channelId: string;
  channelReference?: string;
  queueId?: string;
}
/** Members every other worker event's data has. */
export interface RouterWorkerEventData {
  workerId: string;
}
/**
 * The data of an event, by short name: the event's data model (RouterEventDataMap, from the Event Grid
 * definitions) and the members every event of its kind has.
 */
export type RouterEventData<TName extends RouterEventShortName = RouterEventShortName> = TName extends RouterEventShortName
  ? RouterEventDataMap[TName] &
      (TName extends `RouterWorkerOffer${string}`
        ? RouterOfferEventData
        : TName extends `RouterJob${string}`
          ? RouterJobEventData
          : RouterWorkerEventData)
  : never;

/** An event in Event Grid schema; `RouterEvent` alone is any of the 22 (discriminated by eventType). */
export type RouterEvent<TName extends RouterEventShortName = RouterEventShortName> = TName extends RouterEventShortName
  ? RouterEventOf<TName>
  : never;
/** One event type's event. */
export interface RouterEventOf<TName extends RouterEventShortName> {
  id: string;
  topic: string;
  subject: string;
  /** The prefix and the short name: "Microsoft.Communication.RouterJobQueued" */
  eventType: `${RouterEventTypePrefix}${TName}`;
  eventTime: string;
  dataVersion: string;
  data: RouterEventData<TName>;
  [key: string]: unknown;
}
/** The event a listener of `type` receives. */
export type RouterEventFor<T extends RouterEventType> = RouterEvent<RouterEventShortNameOf<T>>;

/** A listener; an async one is awaited before the call that caused the event resolves. */
export type RouterEventListener<T extends RouterEventType = RouterEventType> = (event: RouterEventFor<T>) => unknown;

export interface WaitForEventOptions {
  /** Rejects after this many wall-clock milliseconds (default 5000; Infinity: never). */
  timeout?: number;
}

// ---- fault injection ----

export interface RouterThrottleOptions {
  /** Requests allowed per window (default 1000, the service's documented limit). */
  requests?: number;
  /** The window in seconds, on the emulator's clock (default 10). */
  perSeconds?: number;
}
export interface RouterFailNextOptions {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** The status they answer (default 503). */
  status?: number;
  /** Only requests with this method (any case). */
  method?: string;
  /**
   * Only requests whose path matches: a route template ("/routing/jobs/{jobId}", one segment per
   * placeholder, compared with the path without the query), or a RegExp tested on path and query
   * ({ regexp, flags } is the JSON form of a RegExp).
   */
  path?: string | RegExp | { regexp: string; flags?: string };
  /** The response body: a string, a JSON value or null; default the service's error body for the status. */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Sends Retry-After with this many seconds. */
  retryAfterSeconds?: number;
}
export interface RouterLatencyOptions {
  /** Delay of each response (the request is served at once, in order; only its answer waits). */
  ms: number;
  /** Adds a uniform jitter in [0, jitterMs], from a PRNG seeded with the emulator's seed (default 0). */
  jitterMs?: number;
  /** "real" (default): wall-clock milliseconds; "virtual": until the emulator's clock has moved by ms. */
  clock?: "real" | "virtual";
}
/** A queued failNext rule as get() shows it (count: the requests still to fail). */
export interface RouterFailNextRule {
  count: number;
  status: number;
  /** Upper-case. */
  method?: string;
  /** A route template, or a RegExp as { regexp, flags }. */
  path?: string | { regexp: string; flags: string };
  body?: unknown;
  /** Lower-case names. */
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
}
/** The faults in force, as plain JSON (PUT /emulator/faults of the server takes the same shape). */
export interface RouterFaultsState {
  throttle: { requests: number; perSeconds: number } | false;
  failNext: RouterFailNextRule[];
  latency: { ms: number; jitterMs: number; clock: "real" | "virtual" } | null;
}
/**
 * Injected throttling, failures and latency of the REST calls an emulator serves (`emulator.faults`),
 * applied to the in-process client, the HTTP server and every adapter alike. Off by default.
 */
export interface RouterFaults {
  /**
   * Beyond `requests` within `perSeconds` a request answers 429 with Retry-After, reaching nothing.
   * No argument or true: the service's limit (1000 per 10 s); false: off.
   */
  throttle(options?: RouterThrottleOptions | boolean): this;
  /** The next `count` matching requests answer `status` (rules queue in the order added). */
  failNext(options?: RouterFailNextOptions): this;
  /** Delays every response; a number is { ms }; null or false turns it off. */
  latency(options: RouterLatencyOptions | number | null | false): this;
  /** Turns every fault off and drops the queued failNext rules. */
  clear(): this;
  /** The faults in force. */
  get(): RouterFaultsState;
}

/** The virtual clock of an emulator. */
export interface RouterClock {
  /** The current mode (starts as the clock option; changed by setMode/pause/resume). */
  readonly mode: "real" | "manual";
  /** Virtual milliseconds per wall millisecond while the mode is "real". */
  readonly speed: number;
  /** Switches mode at run time; entering "real" follows wall time from now on (no jump). */
  setMode(mode: "real" | "manual"): this;
  /** Sets the real-clock speed (> 0). */
  setSpeed(n: number): this;
  /** setMode("manual"). */
  pause(): this;
  /** setMode("real"). */
  resume(): this;
  /** ISO-8601 with a "+00:00" offset, e.g. "2024-01-01T00:00:00+00:00". */
  now(): string;
  /** Unix epoch milliseconds. */
  nowMillis(): number;
  /** Moves forward by ms, firing due timers in order; resolves after their events are delivered. */
  advance(ms: number): Promise<void>;
  /** Moves forward to time (not earlier than now), firing due timers in order. */
  setTime(time: string | Date): Promise<void>;
}

/** One emulated Job Router resource. */
export interface RuleCallContext {
  requestId: string;
  jobId: string;
  kind: "function" | "webhook";
  uri: string;
  rule: Record<string, unknown>;
}

export interface WorkerExplanation {
  workerId: string;
  eligible: boolean;
  /** WorkerNotAvailable | QueueNotServed | ChannelNotServed | AlreadyOffered | Declined | NoCapacity | SelectorNotMatched | JobNotQueued */
  code?: string;
  reason?: string;
}

export interface JobExplanation {
  jobId: string;
  status: string;
  queueId?: string;
  workers: WorkerExplanation[];
}

/** The core's resource limits (RouterEmulator option `limits`, server flags --max-stored-mb, --max-jobs, ...). */
export interface RouterLimits {
  storedBytes?: number;
  jobs?: number;
  workers?: number;
  queues?: number;
  policies?: number;
}

/** What RouterEmulator.evaluateRule() resolves to: the rule's value (Blank is null), or the error and its column. */
export type RuleEvaluationResult = { value: unknown } | { error: string; column?: number };

export declare class RouterEmulator {
  constructor(options?: RouterEmulatorOptions);
  /** The shared emulator of an endpoint or connection string, created on first use. */
  static for(endpointOrConnectionString: string, options?: RouterEmulatorOptions): RouterEmulator;
  readonly options: ResolvedRouterEmulatorOptions;
  readonly clock: RouterClock;
  readonly disposed: boolean;
  /** Resolves when the WebAssembly core is loaded. */
  ready(): Promise<void>;
  /**
   * Subscribes to events of a type (short or full name) or "*" for all. Events a request or clock
   * call causes are delivered, in order, before its promise resolves; async listeners are awaited;
   * a listener's throw rejects that call's promise.
   */
  on<T extends RouterEventType>(type: T, listener: RouterEventListener<T>): this;
  /** Like on(), for the next matching event only. */
  once<T extends RouterEventType>(type: T, listener: RouterEventListener<T>): this;
  /** Removes a listener added with on() or once() for the same type. */
  off<T extends RouterEventType>(type: T, listener: RouterEventListener<T>): this;
  /** Removes every listener of a type, or every listener at all. */
  removeAllListeners(type?: RouterEventType): this;
  /**
   * The first event of a type (or "*") delivered after the call that predicate accepts; rejects after
   * options.timeout wall-clock milliseconds (default 5000) with an Error listing what did arrive.
   */
  waitForEvent<T extends RouterEventType>(
    type: T,
    predicate?: (event: RouterEventFor<T>) => unknown,
    options?: WaitForEventOptions,
  ): Promise<RouterEventFor<T>>;
  waitForEvent<T extends RouterEventType>(type: T, options: WaitForEventOptions): Promise<RouterEventFor<T>>;
  /** Injected failures, throttling and latency of the REST calls this emulator serves. */
  readonly faults: RouterFaults;
  /**
   * Empties the resource and puts the clock back to its start. Listeners stay unless options.listeners
   * is true (then removeAllListeners() too); fault settings stay (their throttle window and latency
   * jitter start again).
   */
  reset(options?: { listeners?: boolean }): void;
  /** The whole state as JSON text. */
  exportState(): string;
  /**
   * Serves function/webhook rules with a host function (sync or async). A throw or rejection fails
   * classification; while an async call runs the job stays pendingClassification.
   */
  registerFunction(
    uri: string,
    fn: (payload: { job: Record<string, unknown> } & Record<string, unknown>, context: RuleCallContext) => unknown,
  ): this;
  unregisterFunction(uri: string): this;
  /** Resolves once every async function call, and the work and events it caused, is done. */
  whenIdle(): Promise<void>;
  /** For each worker: whether it would be offered the job now, or the first reason it would not. */
  explain(jobId: string): JobExplanation;
  /**
   * Tries one rule (static, directMap, expression, function or webhook) against the given labels, as
   * classification and scoring evaluate it: `{ value }` (Blank is null) or `{ error, column? }`. Function and
   * webhook rules call the function registered for their URI with `{ job, worker? }`.
   */
  evaluateRule(
    rule: Record<string, unknown>,
    labels?: { job?: Record<string, unknown>; worker?: Record<string, unknown> },
  ): Promise<RuleEvaluationResult>;
  /**
   * Fault injection: a pendingSchedule or scheduled job becomes scheduleFailed (its scheduleAt no longer fires)
   * and RouterJobSchedulingFailed is published with `reason` as failureReason. Resolves to the job; rejects with
   * an Error carrying `statusCode` (404 unknown job, 409 other status) and `code`.
   */
  failScheduling(jobId: string, reason?: string): Promise<RouterJob>;
  /**
   * Restores a state from exportState(): its text, the text's UTF-8 bytes (fastest for large states, e.g. a file
   * read as a Buffer) or the parsed object. Throws (changing nothing) on an invalid state.
   */
  importState(state: string | Uint8Array | object): void;
  /**
   * Records this emulator's inputs (and, unless outputs is false, every response and event) as a trace.
   * stop() returns the trace text when no write sink was given.
   */
  startRecording(options?: { write?: (line: string) => void; outputs?: boolean }): {
    readonly records: number;
    text(): string;
    stop(): string;
  };
  /**
   * Re-runs a trace in a new emulator with a manual clock; `verify` compares every response and event and
   * stops at the first difference.
   */
  static replay(
    trace: string | Uint8Array,
    options?: { until?: number; verify?: boolean },
  ): Promise<{
    emulator: RouterEmulator;
    records: number;
    applied: number;
    last: number;
    mismatch: { n: number; what: "response" | "events"; detail: string } | null;
    problem: string | null;
  }>;
  /** Frees the WebAssembly memory; the emulator cannot be used afterwards. */
  dispose(): void;
  /** Serves one raw REST call (status as a number, body as text). */
  handle(
    method: string,
    pathAndQuery: string,
    headers?: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}
