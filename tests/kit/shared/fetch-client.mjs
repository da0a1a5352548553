// A stand-in for the JobRouter client that sends real HTTP requests with fetch (what an app under MSW or
// Playwright routing does), so that the shared lifecycle runs through those adapters unchanged:
// path(template, ...ids).get/patch/post/delete resolve to { status (a string), headers, body }.
//
// `emulatorFor(endpoint, options)` gives the lifecycle its `client.emulator` (events, clock): the endpoint's
// shared RouterEmulator when the adapter runs in the same realm (MSW), or a bridge to the test process
// (Playwright routing). A bridge may have settle(), awaited after each response to deliver events.

export function fetchClientFactory({ emulatorFor, fetchImpl = (...args) => globalThis.fetch(...args) }) {
  return function FetchJobRouter(connectionString, options = {}) {
    const endpoint = /endpoint=([^;]+)/i.exec(connectionString)[1].replace(/\/+$/, "");
    const emulator = emulatorFor(endpoint, options.emulator ?? {});
    function path(template, ...ids) {
      let next = 0;
      const url = `${endpoint}${template.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[next++]))}?api-version=2023-11-01`;
      async function send(method, request = {}) {
        const headers = {};
        let body;
        if (request.body !== undefined) {
          headers["content-type"] = request.contentType ?? "application/json";
          body = JSON.stringify(request.body);
        }
        const response = await fetchImpl(url, { method, headers, body });
        const text = await response.text();
        if (typeof emulator.settle === "function") await emulator.settle();
        const responseHeaders = {};
        response.headers.forEach((value, name) => (responseHeaders[name] = value));
        return { status: String(response.status), headers: responseHeaders, body: text ? JSON.parse(text) : undefined };
      }
      return {
        get: (request) => send("GET", request),
        patch: (request) => send("PATCH", request),
        post: (request) => send("POST", request),
        delete: (request) => send("DELETE", request),
      };
    }
    return { path, emulator };
  };
}

/** isUnexpected for the stand-in: any status >= 400. */
export function isUnexpectedStatus(response) {
  return Number(response.status) >= 400;
}
