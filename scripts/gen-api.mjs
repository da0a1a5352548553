#!/usr/bin/env node
// The operations table and the code written from it.
//
//   node scripts/gen-api.mjs                      writes the generated files from scripts/api/operations.json
//   node scripts/gen-api.mjs --check              exits 1, naming them, when generated files are out of date
//   node scripts/gen-api.mjs --from-openapi [DIR] writes scripts/api/operations.json: the operations from the
//                                                 2023-11-01 OpenAPI document in DIR (default
//                                                 ../shared/reference/jobrouter-2023-11-01), the events from
//                                                 tests/js/fixtures/router-event-schema.json
//
// scripts/api/operations.json holds, per operation, the facts of the OpenAPI document (operationId, method,
// route template, parameters, request and response model names, success statuses) and, per router event
// (which the REST document does not describe), its short name, subject and payload fields as the project's
// event schema (tests/js/fixtures/router-event-schema.json) defines them. The generated files (GENERATED_FILES
// below) each start with a line naming this script and the data file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCppCommands, renderCppEventTypes, renderCppListFilters, renderCppTable, renderEventsJs, renderOperationsJs } from "./api/render-code.mjs";
import { renderApiDeclarations } from "./api/render-types.mjs";
import { operationsFromOpenApi, eventsFromSchema } from "./api/read-sources.mjs";
import { DATA_FILE } from "./api/common.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export { DATA_FILE };
export const DEFAULT_OPENAPI_DIR = "../shared/reference/jobrouter-2023-11-01";
export const OPENAPI_FILE = "communicationservicejobrouter.json";
export const EVENT_SCHEMA_FILE = "tests/js/fixtures/router-event-schema.json";

/** Generated file (relative to the repository root) -> function of the data that writes its text. */
export const GENERATED_FILES = {
  "core/http/operations.inc": renderCppTable,
  "core/engine/commands.inc": renderCppCommands,
  "core/http/list_filters.inc": renderCppListFilters,
  "core/events/event_types.hpp": renderCppEventTypes,
  "js/generated/operations.js": renderOperationsJs,
  "js/generated/events.js": renderEventsJs,
  "js/generated/api.d.ts": renderApiDeclarations,
};

/** The data file's object from the OpenAPI document (parsed) and the event schema (parsed). */
export function buildData(openapi, eventSchema) {
  return {
    $comment: [
      `Written by \`node scripts/gen-api.mjs --from-openapi\`: "operations" from the Job Router ${openapi.info?.version}`,
      `OpenAPI document (paths, in its order), "events" from ${EVENT_SCHEMA_FILE}. Read by scripts/gen-api.mjs,`,
      "which writes the C++ route table, the JS operation and event tables and the route, response, parameter and",
      "event types of the declarations from it (npm run gen).",
    ],
    apiVersion: openapi.info?.version,
    operations: operationsFromOpenApi(openapi),
    ...eventsFromSchema(eventSchema),
  };
}

/** The data file's text for a data object. */
export function renderData(data) {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The data file's text as --from-openapi writes it from the document in `openapiDir`. */
export function dataFromSources(openapiDir) {
  const openapi = JSON.parse(readFileSync(join(openapiDir, OPENAPI_FILE), "utf8"));
  const schema = JSON.parse(readFileSync(join(ROOT, EVENT_SCHEMA_FILE), "utf8"));
  return renderData(buildData(openapi, schema));
}

/** The checked-in data. */
export function readData() {
  return JSON.parse(readFileSync(join(ROOT, DATA_FILE), "utf8"));
}

/** Map of generated file -> the text the script writes for it. */
export function renderAll(data = readData()) {
  const out = new Map();
  for (const [file, render] of Object.entries(GENERATED_FILES)) out.set(file, render(data));
  return out;
}

/** Generated files whose text on disk differs from what the script writes (missing ones included). */
export function staleFiles(data = readData()) {
  const stale = [];
  for (const [file, text] of renderAll(data)) {
    const path = join(ROOT, file);
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(file);
  }
  return stale;
}

function main(args) {
  const fromIndex = args.indexOf("--from-openapi");
  if (fromIndex >= 0) {
    const next = args[fromIndex + 1];
    const dir = resolve(ROOT, next && !next.startsWith("--") ? next : DEFAULT_OPENAPI_DIR);
    if (!existsSync(join(dir, OPENAPI_FILE))) {
      process.stderr.write(`gen-api: ${OPENAPI_FILE} not found in ${dir}\n`);
      process.exit(1);
    }
    writeFileSync(join(ROOT, DATA_FILE), dataFromSources(dir));
    process.stderr.write(`gen-api: wrote ${DATA_FILE}\n`);
    return;
  }
  if (args.includes("--check")) {
    const stale = staleFiles();
    for (const file of stale) process.stderr.write(`gen-api: ${file} differs from what \`npm run gen\` writes\n`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const [file, text] of renderAll()) writeFileSync(join(ROOT, file), text);
  process.stderr.write(`gen-api: wrote ${Object.keys(GENERATED_FILES).join(", ")}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
