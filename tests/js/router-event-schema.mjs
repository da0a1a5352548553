// A small validator for tests/js/fixtures/router-event-schema.json (the router events' Event Grid schema as this
// project wrote it from Microsoft's AcsRouter*EventData definitions). It knows the subset that file uses: type,
// format (date-time, int32), enum, pattern, required, properties, items, additionalProperties, $ref and allOf, where
// additionalProperties: false also accepts the properties that allOf brings in. Not a test file itself.
import { readFileSync } from "node:fs";

export const schema = JSON.parse(readFileSync(new URL("./fixtures/router-event-schema.json", import.meta.url), "utf8"));

const EVENT_PREFIX = "Microsoft.Communication.";
// ISO-8601 / RFC 3339 date-time with a zone (Z or ±hh:mm), fraction optional.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function resolve(node) {
  let current = node;
  while (current && current.$ref) {
    const name = current.$ref.replace(/^#\/definitions\//, "");
    current = schema.definitions[name];
    if (!current) throw new Error(`unknown $ref ${name}`);
  }
  return current;
}

/** The properties of a schema and of everything its allOf brings in. */
function merged(node) {
  const s = resolve(node);
  const properties = {};
  for (const part of s.allOf ?? []) Object.assign(properties, merged(part).properties);
  Object.assign(properties, s.properties ?? {});
  return { properties };
}

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

function typeMatches(type, value) {
  const actual = typeOf(value);
  if (type === "number") return actual === "number" || actual === "integer";
  return actual === type;
}

/** Problems of `value` against schema node `node`, each "path: what"; empty when it conforms. */
export function validate(value, node, path = "") {
  const s = resolve(node);
  const problems = [];
  const at = path || "(root)";
  if (s.type !== undefined && !typeMatches(s.type, value)) {
    problems.push(`${at}: expected ${s.type}, got ${typeOf(value)} ${JSON.stringify(value)}`);
    return problems;
  }
  if (s.enum && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${s.enum.join(", ")}`);
  if (s.pattern && typeof value === "string" && !new RegExp(s.pattern).test(value)) {
    problems.push(`${at}: "${value}" does not match ${s.pattern}`);
  }
  if (s.format === "date-time" && typeof value === "string" && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
    problems.push(`${at}: "${value}" is not a date-time`);
  }
  if (s.format === "int32" && Number.isInteger(value) && (value < -(2 ** 31) || value > 2 ** 31 - 1)) {
    problems.push(`${at}: ${value} is out of the int32 range`);
  }
  for (const part of s.allOf ?? []) {
    // allOf parts are checked for their own rules except closedness, which the merged view below handles.
    const inner = resolve(part);
    problems.push(...validate(value, { ...inner, additionalProperties: undefined }, path));
  }
  if (typeOf(value) === "object") {
    const { properties } = merged(s);
    for (const key of s.required ?? []) {
      if (!(key in value)) problems.push(`${at}: required "${key}" is missing`);
    }
    for (const [key, item] of Object.entries(value)) {
      const where = path ? `${path}.${key}` : key;
      if (s.properties && key in s.properties) {
        problems.push(...validate(item, s.properties[key], where));
      } else if (key in properties) {
        // defined by an allOf part: validated there
      } else if (s.additionalProperties === false) {
        problems.push(`${at}: "${key}" is not a property the definitions name`);
      } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
        problems.push(...validate(item, s.additionalProperties, where));
      }
    }
  }
  if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => problems.push(...validate(item, s.items, `${path}[${i}]`)));
  }
  return problems;
}

/** The subject the schema expects for an event, built from the event's data ("job/{jobId}/channel/{channelId}"). */
export function expectedSubject(shortType, data) {
  const template = schema.events[shortType]?.subject;
  if (template === undefined) return undefined;
  return template.replace(/\{(\w+)\}/g, (_, field) => (data[field] === undefined ? `<no ${field}>` : String(data[field])));
}

/** Every problem of one Event Grid event: envelope, data against its type's definition, subject shape. */
export function validateEvent(event) {
  const problems = validate(event, schema.envelope);
  const shortType = typeof event.eventType === "string" ? event.eventType.slice(EVENT_PREFIX.length) : undefined;
  const entry = shortType && schema.events[shortType];
  if (!entry) return problems.length ? problems : [`eventType ${JSON.stringify(event.eventType)} has no definition`];
  problems.push(...validate(event.data, entry.data, "data"));
  const subject = expectedSubject(shortType, event.data ?? {});
  if (event.subject !== subject) problems.push(`subject: "${event.subject}", expected "${subject}"`);
  return problems;
}
