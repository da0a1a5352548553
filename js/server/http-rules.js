// Function and webhook router rules served over real HTTP (server mode).
//
// In-process users register JS functions for rule URIs (emulator.registerFunction). A server has no
// such functions, so it calls the rule's URI the way the service calls an Azure Function or a
// webhook: POST the rule payload as JSON and use the JSON response as the rule's value.
//   function rule: credential.functionKey → header x-functions-key; credential.appKey (+ clientId)
//                  → x-functions-key and x-functions-clientid.
//   webhook rule:  when authorizationServerUri and clientCredential are set, an OAuth 2.0
//                  client-credentials token is fetched first and sent as "Authorization: Bearer".
// Any failure (network, timeout, a status outside 200–299, a body that is not JSON) fails the
// classification with a message naming the URI.

const TIMEOUT_MS = 10_000;

/**
 * @param {string} url
 * @param {RequestInit} init
 */
async function fetchWithTimeout(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } catch (/** @type {any} */ error) {
    const reason = controller.signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : error.message;
    throw new Error(`calling ${url} failed: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An OAuth 2.0 client-credentials token for a webhook rule.
 * @param {Record<string, any>} rule
 */
async function fetchToken(rule) {
  const credential = rule.clientCredential ?? {};
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (credential.clientId) form.set("client_id", credential.clientId);
  if (credential.clientSecret) form.set("client_secret", credential.clientSecret);
  const response = await fetchWithTimeout(rule.authorizationServerUri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  if (!response.ok) {
    throw new Error(`the authorization server ${rule.authorizationServerUri} answered HTTP ${response.status}`);
  }
  const token = (await response.json().catch(() => ({}))).access_token;
  if (typeof token !== "string" || token === "") {
    throw new Error(`the authorization server ${rule.authorizationServerUri} returned no access_token`);
  }
  return token;
}

/**
 * A host function for emulator.registerFunction("*", fn) that calls rule URIs over HTTP.
 * @returns {(payload: object, context: { uri: string, kind: string, rule: Record<string, any> }) => Promise<unknown>}
 */
export function httpRuleCaller() {
  return async (payload, { uri, kind, rule = {} }) => {
    /** @type {Record<string, string>} */
    const headers = { "content-type": "application/json; charset=utf-8", accept: "application/json" };
    if (kind === "function") {
      const credential = rule.credential ?? {};
      if (credential.functionKey) headers["x-functions-key"] = credential.functionKey;
      else if (credential.appKey) {
        headers["x-functions-key"] = credential.appKey;
        if (credential.clientId) headers["x-functions-clientid"] = credential.clientId;
      }
    } else if (kind === "webhook" && rule.authorizationServerUri) {
      headers.authorization = `Bearer ${await fetchToken(rule)}`;
    }
    const response = await fetchWithTimeout(uri, { method: "POST", headers, body: JSON.stringify(payload) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${kind} rule ${uri} answered HTTP ${response.status}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${kind} rule ${uri} did not answer JSON`);
    }
  };
}
