// Trying a rule over HTTP: the server's face of emulator.evaluateRule().
//
//   POST /emulator/rules/evaluate   { rule, job?, worker? }   (content-type application/json)
//     200 { value }                 the rule's value (Blank: null)
//     200 { error, column? }        the rule is invalid or fails (column: 1-based, in the expression's characters)
//     400                           the body is not { rule, job?, worker? } (other fields are named in the message)
//
// Function and webhook rules go to the functions registered on the server's emulator (the server registers
// "*" to call the rule's URI over HTTP), as classification's do.

const ACCEPTED = ["rule", "job", "worker"];

/** @param {unknown} contentType */
function isJson(contentType) {
  return /^application\/json\s*(;|$)/i.test(String(contentType ?? ""));
}

/** @param {unknown} value */
function isLabels(value) {
  return value === undefined || value === null || (typeof value === "object" && !Array.isArray(value));
}

/**
 * Serves POST /emulator/rules/evaluate. Returns false for any other route.
 * @param {import("../emulator.js").RouterEmulator} emulator the server's RouterEmulator
 * @param {import("node:http").IncomingMessage} req
 * @param {string} route the path without a trailing slash
 * @param {Record<string, any>} body the parsed JSON body ({} when empty)
 * @param {{ ok: Function, bad: Function, allow: Function, sendError: Function, res: object }} reply
 * @returns {boolean | Promise<boolean>} true (or a promise of it) when the request is answered
 */
export function handleRulesEvaluate(emulator, req, route, body, { ok, bad, allow, sendError, res }) {
  if (route !== "/emulator/rules/evaluate") return false;
  if (!allow("POST")) return true;
  if (!isJson(req.headers["content-type"])) {
    sendError(res, 415, "UnsupportedMediaType", "POST /emulator/rules/evaluate takes content-type application/json.");
    return true;
  }
  const unknown = Object.keys(body).filter((name) => !ACCEPTED.includes(name));
  if (unknown.length > 0) {
    bad(
      `POST /emulator/rules/evaluate does not take the field${unknown.length > 1 ? "s" : ""} ` +
        `${unknown.map((name) => JSON.stringify(name)).join(", ")}: it takes "rule", "job", "worker".`,
      "UnknownField",
    );
    return true;
  }
  if (body.rule === undefined || body.rule === null) {
    bad('POST /emulator/rules/evaluate needs "rule", e.g. {"rule": {"kind": "expression", "expression": "1 + 1"}, "job": {}}.');
    return true;
  }
  for (const name of ["job", "worker"]) {
    if (!isLabels(body[name])) {
      bad(`"${name}" must be an object of labels, got ${JSON.stringify(body[name])}.`);
      return true;
    }
  }
  return emulator.evaluateRule(body.rule, { job: body.job ?? undefined, worker: body.worker ?? undefined }).then((answer) => {
    ok(answer);
    return true;
  });
}
