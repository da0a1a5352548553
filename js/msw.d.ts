// Type declarations of jobrouter-emulator/msw (hand-written). msw (2.x) is an optional peer dependency: only
// its HttpHandler type is referenced.

import type { HttpHandler } from "msw";
import type { RouterEmulator } from "./index.js";

export interface JobRouterHandlersOptions {
  /** The endpoint URL (https://<resource>.communication.azure.com/) or a connection string. */
  endpoint: string;
  /** The emulator answering the requests (default: the endpoint's shared one, `RouterEmulator.for(endpoint)`). */
  emulator?: RouterEmulator | Pick<RouterEmulator, "handle">;
}

/**
 * MSW 2 handlers answering every request under `/routing` of the endpoint's origin (any method; query, request
 * headers and body passed through) with the emulator's status, headers and body. OPTIONS gets a 204 CORS answer;
 * requests with an Origin header (or any request when running in a page) get CORS headers added.
 * @throws TypeError when `endpoint` is missing or not an endpoint/connection string, or `emulator` is no emulator.
 */
export declare function jobRouterHandlers(options: JobRouterHandlersOptions): HttpHandler[];
