// @ts-check
// jobrouter-emulator/playwright: answers a browser app's Job Router REST calls from an emulator in the test
// process, through Playwright's request routing (page.route / context.route), CORS included.
//
//   import { routeJobRouter } from "jobrouter-emulator/playwright";
//   const { emulator, unroute } = await routeJobRouter(page, { endpoint: "https://contoso.communication.azure.com" });
//   await page.goto(appUrl);             // the app's fetch/XHR calls to that endpoint never reach the network
//   await emulator.clock.advance(60_000); // drive the emulator from the test
//
// Playwright itself is not imported: the page or context passed in is all that is used.

import { createTextDecoder } from "./core-loader.js";
import { corsHeaders, corsPreflightHeaders, emulatorFailure, isRoutingUrl, resolveTarget } from "./route-target.js";

/**
 * The value of a header in Playwright's lower-case header object.
 * @param {Record<string, unknown>} headers
 * @param {string} name
 */
function header(headers, name) {
  const value = headers[name];
  return typeof value === "string" ? value : null;
}

/**
 * The request headers, security-related ones included where Playwright can give them.
 * @param {any} request a Playwright Request
 * @returns {Promise<Record<string, string>>}
 */
async function requestHeaders(request) {
  if (typeof request.allHeaders === "function") {
    try {
      return await request.allHeaders();
    } catch {
      // the request is gone (page closed): its plain headers are enough for the answer nobody will read
    }
  }
  return typeof request.headers === "function" ? request.headers() : {};
}

/**
 * The request body as text (Playwright gives it as a string, or a Buffer).
 * @param {any} request a Playwright Request
 */
function requestBody(request) {
  if (typeof request.postDataBuffer === "function") {
    const bytes = request.postDataBuffer();
    return bytes ? createTextDecoder().decode(bytes) : "";
  }
  return typeof request.postData === "function" ? (request.postData() ?? "") : "";
}

/**
 * Routes every request of `pageOrContext` to `endpoint`'s origin under `/routing` (the endpoint URL or a
 * connection string) to an emulator in this process: `options.emulator`, or the endpoint's shared one
 * (`RouterEmulator.for(endpoint)`, the one `JobRouter(conn)` clients of that endpoint use).
 *
 * Preflights (OPTIONS) are answered 204 with Access-Control-Allow-Origin echoing the page's origin, the allowed
 * methods, Access-Control-Allow-Headers echoing Access-Control-Request-Headers, and a max-age; REST calls are
 * answered with the emulator's status, headers and body plus Access-Control-Allow-Origin and
 * Access-Control-Expose-Headers (etag, last-modified, x-ms-*, and every header of the response). An emulator
 * failure is answered 500 with `{"error": {"code": "EmulatorError", "message"}}`.
 *
 * @param {{ route: Function, unroute: Function }} pageOrContext a Playwright Page or BrowserContext
 * @param {{ endpoint: string, emulator?: import("./emulator.js").RouterEmulator }} options
 * @returns {Promise<{ emulator: import("./emulator.js").RouterEmulator, unroute: () => Promise<void> }>}
 */
export async function routeJobRouter(pageOrContext, options) {
  if (
    pageOrContext === null || typeof pageOrContext !== "object" ||
    typeof pageOrContext.route !== "function" || typeof pageOrContext.unroute !== "function"
  ) {
    throw new TypeError("routeJobRouter(pageOrContext, options): pageOrContext must be a Playwright Page or BrowserContext");
  }
  const target = resolveTarget("routeJobRouter", options);
  const emulator = target.emulator();
  await emulator.ready();

  /** @param {URL} url */
  const matches = (url) => isRoutingUrl(url, target.origin);
  /** @param {any} route a Playwright Route @param {any} [request] */
  const handler = async (route, request = route.request()) => {
    const headers = await requestHeaders(request);
    const origin = header(headers, "origin");
    let answer;
    if (request.method() === "OPTIONS") {
      answer = {
        status: 204,
        headers: corsPreflightHeaders(origin, header(headers, "access-control-request-headers")),
        body: "",
      };
    } else {
      const url = new URL(request.url());
      let result;
      try {
        result = await target.emulator().handle(request.method(), `${url.pathname}${url.search}`, headers, requestBody(request));
      } catch (error) {
        result = emulatorFailure(error);
      }
      answer = {
        status: result.status,
        headers: origin === null ? { ...result.headers } : { ...result.headers, ...corsHeaders(origin, result.headers) },
        body: result.body ?? "",
      };
    }
    try {
      await route.fulfill(answer);
    } catch {
      // the page or context closed while the emulator answered: nobody is waiting for the response
    }
  };

  await pageOrContext.route(matches, handler);
  let routed = true;
  return {
    emulator,
    async unroute() {
      if (!routed) return;
      routed = false;
      await pageOrContext.unroute(matches, handler);
    },
  };
}
