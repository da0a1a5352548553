// Type declarations of jobrouter-emulator/playwright (hand-written). Playwright is not needed to type-check:
// the page or context is typed by the members used.

import type { RouterEmulator } from "./index.js";

/** What is used of a Playwright Page or BrowserContext. */
export interface RoutableLike {
  route(url: any, handler: (route: any, request: any) => any, options?: any): Promise<unknown>;
  unroute(url: any, handler?: (route: any, request: any) => any): Promise<unknown>;
}

export interface RouteJobRouterOptions {
  /** The endpoint URL the app calls (https://<resource>.communication.azure.com/) or a connection string. */
  endpoint: string;
  /** The emulator answering the requests (default: the endpoint's shared one, `RouterEmulator.for(endpoint)`). */
  emulator?: RouterEmulator;
}

export interface JobRouterRoute {
  /** The emulator answering the page's requests: drive it from the test (clock, events, explain, state). */
  readonly emulator: RouterEmulator;
  /** Removes the route (idempotent). */
  unroute(): Promise<void>;
}

/**
 * Answers every request of the page (or context) to the endpoint's origin under `/routing` from the emulator,
 * with CORS: preflights get 204 with the page's origin, the methods, the requested headers and a max-age; REST
 * answers get Access-Control-Allow-Origin and Access-Control-Expose-Headers (etag, last-modified, x-ms-*, ...).
 * @throws TypeError when pageOrContext has no route/unroute, or the options are not `{ endpoint, emulator? }`.
 */
export declare function routeJobRouter(pageOrContext: RoutableLike, options: RouteJobRouterOptions): Promise<JobRouterRoute>;
