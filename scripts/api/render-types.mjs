// Renders js/generated/api.d.ts from scripts/api/operations.json: the response, parameter and route types of the
// operations, path(), isUnexpected()'s overloads and the router event types. The models they name stay
// hand-written in js/index.d.ts (imported from there).
import { GENERATED_NOTE, routesOf, sdkName } from "./common.mjs";

const ERROR_MODEL = "Azure.Core.Foundations.ErrorResponse";
const MERGE_PATCH = "application/merge-patch+json";
const ENTITY_HEADERS = ["ETag", "Last-Modified"];

/** Documentation of parameters, by name (the OpenAPI document's own descriptions are not copied). */
const PARAMETER_DOCS = {
  "If-Match": 'Proceed only if the entity\'s etag matches ("*" matches any existing entity).',
  "If-Unmodified-Since": "Proceed only if the entity was not modified after this HTTP-date.",
  maxpagesize: "Number of objects to return per page (integer >= 1).",
  scheduledBefore: "Jobs scheduled at or before this time.",
  scheduledAfter: "Jobs scheduled at or after this time.",
};

/** Names js/index.d.ts exports that every rendering uses. */
const BASE_IMPORTS = [
  "ErrorResponseHeaders", "ErrorResponseOutput", "HttpResponse", "RawHttpHeaders", "RawHttpHeadersInput",
  "RequestParameters", "ResourceResponseHeaders", "StreamableMethod",
];

/** A property name as TypeScript accepts it. */
function propertyName(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function doc(text, indent = "") {
  return text ? [`${indent}/** ${text} */`] : [];
}

// ---- names -----------------------------------------------------------------------------------------

/** The TypeScript type of a response model ("RouterJob" -> "RouterJobOutput"); undefined for no body. */
function outputType(model) {
  return model === null ? "undefined" : `${model}Output`;
}

/** The TypeScript type of a request body model ("RouterJobCreateOrUpdate" -> "RouterJobResourceMergeAndPatch"). */
function bodyType(body) {
  return body.contentType === MERGE_PATCH ? `${body.model.replace(/CreateOrUpdate$/, "")}ResourceMergeAndPatch` : body.model;
}

function successResponses(op) {
  return op.responses.filter((r) => op.successStatuses.includes(r.status));
}

/** The response union of an operation: its success responses and its default response. */
function responseUnion(op) {
  const name = sdkName(op);
  return [...successResponses(op).map((r) => `${name}${r.status}Response`), `${name}DefaultResponse`].join(" | ");
}

/** Models of js/index.d.ts the operations name. */
function usedModels(operations) {
  const names = new Set(BASE_IMPORTS);
  for (const op of operations) {
    for (const r of successResponses(op)) if (r.model !== null) names.add(outputType(r.model));
    if (op.body) names.add(bodyType(op.body));
  }
  return [...names].sort();
}

// ---- responses ---------------------------------------------------------------------------------------

function renderResponses(data) {
  const lines = [
    "interface TypedResponse<TStatus extends string, TBody, THeaders = {}> extends HttpResponse {",
    "  status: TStatus;",
    "  body: TBody;",
    "  headers: RawHttpHeaders & THeaders;",
    "}",
    "/** The response of any operation when the status is not one of its success codes. */",
    "export interface RouterDefaultResponse extends TypedResponse<string, ErrorResponseOutput, ErrorResponseHeaders> {}",
    "",
  ];
  for (const op of data.operations) {
    const name = sdkName(op);
    for (const r of successResponses(op)) {
      const entity = ENTITY_HEADERS.every((h) => r.headers.includes(h));
      const args = [JSON.stringify(r.status), outputType(r.model), ...(entity ? ["ResourceResponseHeaders"] : [])];
      lines.push(`export interface ${name}${r.status}Response extends TypedResponse<${args.join(", ")}> {}`);
    }
    const fallback = op.responses.find((r) => r.status === "default");
    if (fallback?.model !== ERROR_MODEL) throw new Error(`${op.name}: the default response is not ${ERROR_MODEL}`);
    lines.push(`export interface ${name}DefaultResponse extends RouterDefaultResponse {}`);
  }
  return lines;
}

// ---- parameters ------------------------------------------------------------------------------------

/** The TypeScript type of a query or header parameter. */
function parameterType(parameter) {
  if (parameter.type === "integer" || parameter.type === "number") return "number";
  if (parameter.type === "boolean") return "boolean";
  if (parameter.format === "date-time") return "Date | string";
  return "string";
}

function parameterMember(parameter, indent = "  ") {
  const possible = parameter.enum ? `Possible values: ${parameter.enum.map((v) => JSON.stringify(v)).join(", ")}` : "";
  const text = [PARAMETER_DOCS[parameter.name], possible].filter(Boolean).join(" ");
  const optional = parameter.required ? "" : "?";
  return [...doc(text, indent), `${indent}${propertyName(parameter.name)}${optional}: ${parameterType(parameter)};`];
}

/** The header interfaces and the query interfaces the operations share (by the names they get). */
function sharedParameterTypes(operations) {
  const lines = [];
  const headerOps = operations.filter((op) => op.headerParameters.length > 0);
  const headerSets = new Set(headerOps.map((op) => JSON.stringify(op.headerParameters)));
  if (headerSets.size > 1) throw new Error("operations with different header parameters: name their header types");
  if (headerOps.length > 0) {
    const names = headerOps.map((op) => op.name).join(", ");
    lines.push(`/** Conditional headers of ${names}. */`, "export interface UpsertHeaders {");
    for (const parameter of headerOps[0].headerParameters) lines.push(...parameterMember(parameter));
    lines.push("}");
  }
  const paging = operations.flatMap((op) => op.queryParameters).find((p) => p.name === "maxpagesize");
  if (paging) lines.push("export interface PagingQueryParamProperties {", ...parameterMember(paging), "}");
  return lines;
}

/** The query parameter type of an operation (undefined when it has none). */
function queryType(op, lines) {
  const rest = op.queryParameters.filter((p) => p.name !== "maxpagesize");
  const paged = rest.length < op.queryParameters.length;
  if (rest.length === 0) return paged ? "PagingQueryParamProperties" : undefined;
  const name = `${sdkName(op)}QueryParamProperties`;
  lines.push(`export interface ${name}${paged ? " extends PagingQueryParamProperties" : ""} {`);
  for (const parameter of rest) lines.push(...parameterMember(parameter));
  lines.push("}");
  return name;
}

function renderParameters(data) {
  const lines = sharedParameterTypes(data.operations);
  for (const op of data.operations) {
    const name = `${sdkName(op)}Parameters`;
    const query = queryType(op, lines);
    const members = [];
    if (op.headerParameters.length > 0) members.push("  headers?: RawHttpHeadersInput & UpsertHeaders;");
    if (op.body) {
      if (op.body.contentType !== "application/json") {
        members.push(...doc(op.body.contentType === MERGE_PATCH ? "JSON merge patch." : "", "  "));
        members.push(`  contentType: ${JSON.stringify(op.body.contentType)};`);
      }
      members.push(`  body${op.body.required ? "" : "?"}: ${bodyType(op.body)};`);
    }
    if (members.length === 0 && query === undefined) lines.push(`export type ${name} = RequestParameters;`);
    else if (members.length === 0) lines.push(`export type ${name} = { queryParameters?: ${query} } & RequestParameters;`);
    else {
      if (query !== undefined) members.push(`  queryParameters?: ${query};`);
      lines.push(`export interface ${name} extends RequestParameters {`, ...members, "}");
    }
  }
  return lines;
}

// ---- routes and isUnexpected -------------------------------------------------------------------------

/** The interface name of a route's methods: its PATCH operation's name when it has one (as the official client). */
function routeInterface(ops) {
  return sdkName(ops.find((op) => op.method === "PATCH") ?? ops[0]);
}

function renderRoutes(data) {
  const lines = [];
  const routes = routesOf(data.operations);
  for (const ops of routes.values()) {
    lines.push(`export interface ${routeInterface(ops)} {`);
    for (const op of ops) {
      const options = op.body?.required ? "options" : "options?";
      const verb = op.method.toLowerCase();
      lines.push(`  ${verb}(${options}: ${sdkName(op)}Parameters): StreamableMethod<${responseUnion(op)}>;`);
    }
    lines.push("}");
  }
  lines.push("", `/** The ${routes.size} path templates of the ${data.operations.length} operations. */`, "export type RouteTemplate =");
  for (const route of routes.keys()) lines.push(`  | ${JSON.stringify(route)}`);
  lines[lines.length - 1] += ";";
  lines.push("", '/** path(template, ...parameters): parameters fill the "{...}" placeholders in order, URL-encoded. */');
  lines.push("export interface Routes {");
  for (const [route, ops] of routes) {
    const parameters = ops[0].pathParameters.map((p) => `, ${p}: string`).join("");
    lines.push(`  (path: ${JSON.stringify(route)}${parameters}): ${routeInterface(ops)};`);
  }
  lines.push("}");
  return lines;
}

function renderIsUnexpected(data) {
  const statuses = [...new Set(data.operations.flatMap((op) => op.successStatuses))].sort();
  const lines = [
    "declare const unexpectedMarker: unique symbol;",
    "/** Marks a PathUncheckedResponse that isUnexpected() returned true for. */",
    "export interface UnexpectedResponseMarker {",
    "  readonly [unexpectedMarker]: true;",
    "}",
    `type SuccessStatus = { status: ${statuses.map((s) => JSON.stringify(s)).join(" | ")} };`,
    "",
    "/**",
    " * true when the response's status is not a success status of its operation (found from the",
    " * request's method and URL); any status of an unknown route is unexpected. As in the official package",
    " * there is one overload per operation: after `if (isUnexpected(res)) throw res.body;` the response is the",
    " * operation's success response, and inside the `if` it is the operation's default (error) response.",
    " */",
  ];
  for (const op of data.operations) {
    lines.push("export declare function isUnexpected(", `  response: ${responseUnion(op)},`);
    lines.push(`): response is ${sdkName(op)}DefaultResponse;`);
  }
  lines.push(
    "/** Any other response (pathUnchecked, a page link): narrows nothing but marks the unexpected one. */",
    "export declare function isUnexpected<TResponse extends HttpResponse>(",
    "  response: TResponse,",
    '): response is unknown extends TResponse["body"] ? TResponse & UnexpectedResponseMarker : Exclude<TResponse, SuccessStatus>;',
  );
  return lines;
}

// ---- events ----------------------------------------------------------------------------------------

/** The TypeScript type of an event field descriptor. */
function fieldType(field) {
  let type;
  if (field.enum) type = field.enum.map((v) => JSON.stringify(v)).join(" | ");
  else if (field.type === "int32" || field.type === "integer" || field.type === "number") type = "number";
  else if (field.type === "date-time") type = "string";
  else if (field.type === "StringMap") type = "Record<string, string>";
  else type = field.type;
  if (!field.array) return type;
  return field.enum ? `(${type})[]` : `${type}[]`;
}

function fieldsInterface(name, fields, comment) {
  const lines = [...doc(comment), `export interface ${name} {`];
  for (const field of fields) {
    const note = field.type === "date-time" ? "ISO-8601 date-time." : "";
    lines.push(...doc(note, "  "), `  ${propertyName(field.name)}${field.required ? "" : "?"}: ${fieldType(field)};`);
  }
  lines.push("}");
  return lines;
}

function renderEvents(data) {
  const lines = [`/** Short names of the ${data.events.length} Job Router Event Grid events. */`, "export type RouterEventShortName ="];
  for (const event of data.events) lines.push(`  | ${JSON.stringify(event.type)}`);
  lines[lines.length - 1] += ";";
  lines.push("", "/** What comes before the short name in an event's type (its eventType). */",
    `export type RouterEventTypePrefix = ${JSON.stringify(data.eventPrefix)};`);
  lines.push("", "/** The data model of each event, by short name. */", "export interface RouterEventDataMap {");
  for (const event of data.events) lines.push(`  ${event.type}: ${event.dataModel};`);
  lines.push("}", "");
  for (const event of data.events) {
    const subject = `The data of ${event.type} (subject "${event.subject}").`;
    lines.push(...fieldsInterface(event.dataModel, event.fields, subject));
  }
  for (const [name, fields] of Object.entries(data.eventModels)) lines.push(...fieldsInterface(name, fields, ""));
  return lines;
}

function section(title) {
  const rule = `// ${"=".repeat(97)}`;
  return ["", rule, `// ${title}`, rule, ""];
}

/** js/generated/api.d.ts. */
export function renderApiDeclarations(data) {
  return [
    `// ${GENERATED_NOTE}.`,
    `// Types of the ${data.operations.length} operations of the Job Router REST API ${data.apiVersion} and of its events;`,
    "// js/index.d.ts re-exports them and declares the models they name.",
    "",
    "import type {",
    ...usedModels(data.operations).map((name) => `  ${name},`),
    '} from "../index.js";',
    ...section("Responses"),
    ...renderResponses(data),
    ...section("Request parameters per operation"),
    ...renderParameters(data),
    ...section("Routes"),
    ...renderRoutes(data),
    ...section("isUnexpected"),
    ...renderIsUnexpected(data),
    ...section("Events"),
    ...renderEvents(data),
    "",
    "// Only the declarations marked export above are exported.",
    "export {};",
    "",
  ].join("\n");
}
