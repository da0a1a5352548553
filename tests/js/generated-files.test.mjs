// The operations table (scripts/api/operations.json) and the files scripts/gen-api.mjs writes from it: every
// generated file is what the script would write now, the table is what `--from-openapi` would write from the
// OpenAPI document (when the reference material is there) and the event schema, and the tables agree with the
// code that uses them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DATA_FILE,
  EVENT_SCHEMA_FILE,
  GENERATED_FILES,
  OPENAPI_FILE,
  ROOT,
  dataFromSources,
  readData,
  renderAll,
} from "../../scripts/gen-api.mjs";
import { eventsFromSchema } from "../../scripts/api/read-sources.mjs";
import { GENERATED_NOTE } from "../../scripts/api/common.mjs";
import { findReference } from "./reference-dir.mjs";

const openapiDir = findReference(["jobrouter-2023-11-01", "."], OPENAPI_FILE);

test("every generated file is what `npm run gen` writes from the operations table", () => {
  const differing = [];
  for (const [file, text] of renderAll()) {
    let onDisk;
    try {
      onDisk = readFileSync(join(ROOT, file), "utf8");
    } catch {
      onDisk = undefined;
    }
    if (onDisk !== text) differing.push(file);
  }
  assert.deepEqual(differing, [], `${differing.join(", ")} differ(s) from what \`npm run gen\` writes: run npm run gen`);
});

test("every generated file starts with the do-not-edit line", () => {
  for (const [file, text] of renderAll()) {
    const first = text.slice(0, text.indexOf("\n"));
    assert.ok(first.includes(GENERATED_NOTE), `${file}: first line ${JSON.stringify(first)}`);
  }
  assert.deepEqual([...renderAll().keys()].sort(), Object.keys(GENERATED_FILES).sort());
});

test("the check notices a hand edit of a generated file", () => {
  const data = readData();
  const changed = structuredClone(data);
  changed.operations[0].successStatuses = ["299"];
  const before = renderAll(data);
  const after = renderAll(changed);
  const differing = [...before.keys()].filter((file) => before.get(file) !== after.get(file));
  assert.ok(differing.includes("js/generated/operations.js"), differing.join(", "));
  assert.ok(differing.includes("js/generated/api.d.ts"), differing.join(", "));
});

test("the operations table is what --from-openapi writes from the OpenAPI document", { skip: openapiDir === null && "no reference material (../shared/reference): the OpenAPI document is not here" }, () => {
  const expected = dataFromSources(openapiDir);
  const actual = readFileSync(join(ROOT, DATA_FILE), "utf8");
  assert.ok(actual === expected, `${DATA_FILE} differs from what \`node scripts/gen-api.mjs --from-openapi\` writes: run it`);
});

test("the events of the operations table are the event schema's", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, EVENT_SCHEMA_FILE), "utf8"));
  const { events, eventModels, eventPrefix } = readData();
  assert.deepEqual(
    { events, eventModels, eventPrefix },
    eventsFromSchema(schema),
    `the events of ${DATA_FILE} differ from ${EVENT_SCHEMA_FILE}: run node scripts/gen-api.mjs --from-openapi`,
  );
});

test("the table has the 33 operations and 22 events, each operation with a success status", () => {
  const data = readData();
  assert.equal(data.operations.length, 33);
  assert.equal(new Set(data.operations.map((op) => op.name)).size, 33);
  for (const op of data.operations) assert.ok(op.successStatuses.length > 0, op.name);
  assert.equal(data.events.length, 22);
});

test("js/event-types.js and js/generated/operations.js hand out the table's names", async () => {
  const data = readData();
  const { EVENT_TYPES, EVENT_PREFIX } = await import("../../js/event-types.js");
  assert.deepEqual([...EVENT_TYPES], data.events.map((event) => event.type));
  assert.equal(EVENT_PREFIX, data.eventPrefix);
  const { OPERATIONS } = await import("../../js/generated/operations.js");
  assert.deepEqual(OPERATIONS.map((op) => `${op.method} ${op.route}`), data.operations.map((op) => `${op.method} ${op.route}`));
});

test("the C++ Operation enum and route table come from the generated list", () => {
  const header = readFileSync(join(ROOT, "core/http/routes.hpp"), "utf8");
  const source = readFileSync(join(ROOT, "core/http/routes.cpp"), "utf8");
  assert.match(header, /#include "core\/http\/operations\.inc"/);
  assert.match(source, /#include "core\/http\/operations\.inc"/);
  // No route literal is written by hand beside the generated list.
  assert.doesNotMatch(source, /"routing"/);
});
