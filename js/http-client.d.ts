// Type declarations of jobrouter-emulator/http-client (hand-written).
//
// Structural types only: the shapes of @azure/core-rest-pipeline's HttpClient, PipelineRequest and
// PipelineResponse that this adapter reads and fills, so that neither that package nor DOM/Node typings are
// needed to type-check it, while the client stays assignable to the SDK's `httpClient` option.

import type { RouterEmulator } from "./index.js";

/** Case-insensitive header collection (@azure/core-rest-pipeline's HttpHeaders). */
export interface EmulatorHttpHeaders extends Iterable<[string, string]> {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string | number | boolean): void;
  delete(name: string): void;
  toJSON(options?: { preserveCase?: boolean }): { [headerName: string]: string };
}

/** What the adapter reads of a PipelineRequest. */
export interface PipelineRequestLike {
  url: string;
  method: string;
  /** An HttpHeaders object (its toJSON() is used), any iterable of [name, value], or a plain object. */
  headers: { toJSON(options?: { preserveCase?: boolean }): Record<string, string> } | Iterable<[string, string]>;
  /**
   * string, ArrayBuffer / typed array, Blob, web ReadableStream, Node readable stream, a function returning a
   * stream, undefined or null. FormData and multipart bodies are rejected (the Job Router API takes JSON).
   */
  body?: unknown;
  multipartBody?: unknown;
  formData?: unknown;
  allowInsecureConnection?: boolean;
  abortSignal?: {
    readonly aborted: boolean;
    addEventListener?(type: "abort", listener: (...args: any[]) => any, options?: any): void;
    removeEventListener?(type: "abort", listener: (...args: any[]) => any, options?: any): void;
  };
  /** Statuses whose body is streamed; Number.POSITIVE_INFINITY streams every status. */
  streamResponseStatusCodes?: { has(status: number): boolean };
  enableBrowserStreams?: boolean;
  onUploadProgress?: (progress: { loadedBytes: number }) => void;
  onDownloadProgress?: (progress: { loadedBytes: number }) => void;
}

/** The PipelineResponse the adapter resolves to. */
export interface PipelineResponseLike<Request extends PipelineRequestLike = PipelineRequestLike> {
  request: Request;
  status: number;
  headers: EmulatorHttpHeaders;
  /** The body, unless it is streamed. */
  bodyAsText?: string | null;
  /** Streamed body in Node (a stream.Readable). */
  readableStreamBody?: any;
  /** Streamed body elsewhere, when request.enableBrowserStreams is set (a ReadableStream<Uint8Array>). */
  browserStreamBody?: any;
  /** Streamed body elsewhere, without enableBrowserStreams (a Promise<Blob>). */
  blobBody?: any;
}

/** An HttpClient as @azure/core-rest-pipeline defines it. */
export interface EmulatorHttpClient {
  sendRequest<Request extends PipelineRequestLike>(request: Request): Promise<PipelineResponseLike<Request>>;
}

/**
 * An HttpClient for the official SDK's `httpClient` option, answered by an in-process emulator.
 * - a RouterEmulator (or anything with its `handle()`): every request goes to it;
 * - an endpoint URL or connection string: every request goes to `RouterEmulator.for(target)`, the endpoint's
 *   shared emulator (the one `JobRouter(conn)` clients of that endpoint use);
 * - omitted: each request goes to `RouterEmulator.for(<origin of the request URL>)`.
 * @throws TypeError for any other target, or a string that is neither an endpoint nor a connection string.
 */
export declare function createEmulatorHttpClient(
  target?: RouterEmulator | Pick<RouterEmulator, "handle"> | string | null,
): EmulatorHttpClient;
