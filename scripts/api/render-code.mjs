// Renders the code tables of scripts/api/operations.json: the C++ route table (an X-macro list that
// core/http/routes.{hpp,cpp} include) and the JS operation and event tables.
import { GENERATED_NOTE } from "./common.mjs";

/** A JS/C++ string literal (the texts here are ASCII names and routes). */
function quote(text) {
  return JSON.stringify(text);
}

/** core/http/operations.inc: one JR_OPERATION(identifier, method, route template) per operation. */
export function renderCppTable(data) {
  const lines = [
    `// ${GENERATED_NOTE}.`,
    `// The ${data.operations.length} operations of the Job Router REST API ${data.apiVersion}, in the OpenAPI document's order:`,
    "// JR_OPERATION(identifier, method, route template). The includer defines JR_OPERATION; this file undefines it.",
  ];
  for (const op of data.operations) lines.push(`JR_OPERATION(${op.name}, ${quote(op.method)}, ${quote(op.route)})`);
  lines.push("#undef JR_OPERATION", "");
  return lines.join("\n");
}

/**
 * core/engine/commands.inc: the engine's commands, one per operation that is not a list (a pageable operation,
 * which has a nextLink; Engine::list runs those), in the operations' order: the Command enum and the mapping of an
 * operation onto its command (core/http/request.cpp) are both made from it.
 */
export function renderCppCommands(data) {
  const commands = data.operations.filter((op) => !op.nextLinkName);
  const lines = [
    `// ${GENERATED_NOTE}.`,
    `// The ${commands.length} commands of the engine: the operations of the Job Router REST API ${data.apiVersion} but the lists`,
    "// (Engine::list), in the operations' order: JR_COMMAND(identifier). The includer defines JR_COMMAND; this file",
    "// undefines it.",
  ];
  for (const op of commands) lines.push(`JR_COMMAND(${op.name})`);
  lines.push("#undef JR_COMMAND", "");
  return lines.join("\n");
}

/**
 * core/http/list_filters.inc: the query parameters by which each list operation filters (all its query parameters
 * but maxpagesize), in the OpenAPI document's order, which is the order a nextLink carries them in.
 */
export function renderCppListFilters(data) {
  const lines = [
    `// ${GENERATED_NOTE}.`,
    "// The filters of the list operations: JR_LIST_FILTER(list operation, query parameter), in the OpenAPI document's",
    "// order. The includer defines JR_LIST_FILTER; this file undefines it.",
  ];
  for (const op of data.operations.filter((o) => o.nextLinkName)) {
    for (const parameter of op.queryParameters) {
      if (parameter.name !== "maxpagesize") lines.push(`JR_LIST_FILTER(${op.name}, ${quote(parameter.name)})`);
    }
  }
  lines.push("#undef JR_LIST_FILTER", "");
  return lines.join("\n");
}

/**
 * core/events/event_types.hpp: the router event types the core publishes, as an enum and their names (the same list
 * as js/generated/events.js).
 */
export function renderCppEventTypes(data) {
  const names = data.events.map((event) => event.type);
  return [
    `// ${GENERATED_NOTE}.`,
    `// The ${names.length} router event types the core publishes (Event Grid's eventType is the prefix and the name).`,
    "#pragma once",
    "",
    "#include <cstddef>",
    "#include <string_view>",
    "",
    "namespace jr {",
    "",
    `inline constexpr std::string_view kEventTypePrefix = ${quote(data.eventPrefix)};`,
    "",
    "enum class EventType {",
    ...names.map((name) => `  ${name},`),
    "};",
    "",
    "inline constexpr std::string_view kEventTypeNames[] = {",
    ...names.map((name) => `    ${quote(name)},`),
    "};",
    "",
    "// The short name of an event type: \"RouterJobQueued\".",
    "constexpr std::string_view eventTypeName(EventType type) { return kEventTypeNames[static_cast<std::size_t>(type)]; }",
    "",
    "}  // namespace jr",
    "",
  ].join("\n");
}

/** js/generated/operations.js: the operations with their routes and success statuses. */
export function renderOperationsJs(data) {
  const rows = data.operations.map(
    (op) =>
      `  { name: ${quote(op.name)}, operationId: ${quote(op.operationId)}, method: ${quote(op.method)}, ` +
      `route: ${quote(op.route)}, successStatuses: [${op.successStatuses.map(quote).join(", ")}] },`,
  );
  return [
    `// ${GENERATED_NOTE}.`,
    "// @ts-check",
    "",
    `/** The api-version of the operations below. */`,
    `export const API_VERSION = ${quote(data.apiVersion)};`,
    "",
    "/**",
    ` * The ${data.operations.length} operations: name (the OpenAPI operationId without its group), HTTP method, route`,
    " * template (\"{name}\" placeholders, \":action\" suffixes) and the statuses of success.",
    " * @type {ReadonlyArray<{name: string, operationId: string, method: string, route: string, successStatuses: readonly string[]}>}",
    " */",
    "export const OPERATIONS = Object.freeze([",
    ...rows,
    "]);",
    "",
  ].join("\n");
}

/** js/generated/events.js: the router event types' short names and prefix. */
export function renderEventsJs(data) {
  const names = data.events.map((event) => quote(event.type));
  const rows = [];
  for (let i = 0; i < names.length; i += 4) rows.push(`  ${names.slice(i, i + 4).join(", ")},`);
  return [
    `// ${GENERATED_NOTE}.`,
    "// @ts-check",
    "",
    "/** Prefix of every full router event type. */",
    `export const EVENT_PREFIX = ${quote(data.eventPrefix)};`,
    "",
    `/** The ${names.length} short names of the router event types the emulator publishes. */`,
    "export const EVENT_TYPES = Object.freeze([",
    ...rows,
    "]);",
    "",
  ].join("\n");
}
