// @ts-check
// jobrouter-emulator/msw: Mock Service Worker (msw 2) request handlers that answer every Job Router REST
// call of one endpoint from an emulator, in Node (setupServer) and in browsers (setupWorker).
//
//   import { setupServer } from "msw/node";
//   import { jobRouterHandlers } from "jobrouter-emulator/msw";
//   const server = setupServer(...jobRouterHandlers({ endpoint: "https://contoso.communication.azure.com" }));
//
// msw is an optional peer dependency: this module imports `http` and `HttpResponse` from it and nothing
// else, and no Node built-in, so it bundles for browsers.

import { http, HttpResponse } from "msw";
import { corsHeaders, corsPreflightHeaders, emulatorFailure, resolveTarget, routingPattern } from "./route-target.js";

/**
 * MSW request handlers answering every request under `/routing` of `endpoint`'s origin (any method; the query
 * string, the request headers and the body as text go to the emulator) with the emulator's status, headers and
 * body. The emulator is `emulator`, or else the endpoint's shared one (`RouterEmulator.for(endpoint)`, looked up
 * again for each request, so a disposed one is replaced).
 *
 * Browsers: an OPTIONS request is answered 204 with CORS headers, and a request that carries an Origin header —
 * or any request when the handlers run in a page — gets Access-Control-Allow-Origin and
 * Access-Control-Expose-Headers beside the emulator's headers. An emulator failure is answered 500 with
 * `{"error": {"code": "EmulatorError", "message"}}`.
 *
 * @param {{ endpoint: string, emulator?: import("./emulator.js").RouterEmulator }} options endpoint: an endpoint URL or a connection string
 * @returns {import("msw").HttpHandler[]}
 */
export function jobRouterHandlers(options) {
  const target = resolveTarget("jobRouterHandlers", options);
  const inPage = typeof document === "object" && document !== null && typeof globalThis.location?.origin === "string";

  const handler = http.all(routingPattern(target.origin), async ({ request }) => {
    const origin = request.headers.get("origin") ?? (inPage ? globalThis.location.origin : null);
    if (request.method === "OPTIONS") {
      return new HttpResponse(null, {
        status: 204,
        headers: corsPreflightHeaders(origin, request.headers.get("access-control-request-headers")),
      });
    }
    const url = new URL(request.url);
    /** @type {Record<string, string>} */
    const headers = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let result;
    try {
      const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
      result = await target.emulator().handle(request.method, `${url.pathname}${url.search}`, headers, body);
    } catch (error) {
      result = emulatorFailure(error);
    }
    const responseHeaders = origin === null ? { ...result.headers } : { ...result.headers, ...corsHeaders(origin, result.headers) };
    const noBody = result.status === 204 || result.status === 304 || request.method === "HEAD" || !result.body;
    return new HttpResponse(noBody ? null : result.body, { status: result.status, headers: responseHeaders });
  });
  return [handler];
}
