// Reads the operations out of the Job Router OpenAPI (Swagger 2.0) document and the router events out of the
// project's event schema (tests/js/fixtures/router-event-schema.json), into the shapes of scripts/api/operations.json.

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];
const API_VERSION_PARAMETER = "api-version";

/** The definition name a "$ref" points at ("#/definitions/RouterJob" -> "RouterJob"). */
function refName(ref) {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** A parameter with its "$ref" (to the document's shared parameters) resolved. */
function resolveParameter(openapi, parameter) {
  if (!parameter.$ref) return parameter;
  const resolved = openapi.parameters?.[refName(parameter.$ref)];
  if (!resolved) throw new Error(`unknown parameter ${parameter.$ref}`);
  return resolved;
}

/** {name, type, format?, enum?, required?} of a query or header parameter. */
function simpleParameter(parameter) {
  const out = { name: parameter.name, type: parameter.type };
  if (parameter.format) out.format = parameter.format;
  if (parameter.enum) out.enum = [...parameter.enum];
  if (parameter.required) out.required = true;
  return out;
}

/** The parameters of an operation by place (path, query, header, body), api-version left out. */
function parametersOf(openapi, pathItem, operation) {
  const all = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolveParameter(openapi, p));
  const result = { pathParameters: [], queryParameters: [], headerParameters: [], body: null };
  for (const parameter of all) {
    if (parameter.name === API_VERSION_PARAMETER) continue;
    if (parameter.in === "path") result.pathParameters.push(parameter.name);
    else if (parameter.in === "query") result.queryParameters.push(simpleParameter(parameter));
    else if (parameter.in === "header") result.headerParameters.push(simpleParameter(parameter));
    else if (parameter.in === "body") {
      const contentType = (operation.consumes ?? openapi.consumes ?? ["application/json"])[0];
      const model = parameter.schema?.$ref ? refName(parameter.schema.$ref) : null;
      result.body = { name: parameter.name, model, required: Boolean(parameter.required), contentType };
    }
  }
  return result;
}

/** [{status, model, headers}] of an operation's responses, "default" last as the document has it. */
function responsesOf(operation) {
  return Object.entries(operation.responses).map(([status, response]) => ({
    status,
    model: response.schema?.$ref ? refName(response.schema.$ref) : null,
    headers: Object.keys(response.headers ?? {}),
  }));
}

/** One entry of "operations" per operation of the document, in its order. */
export function operationsFromOpenApi(openapi) {
  const operations = [];
  for (const [route, pathItem] of Object.entries(openapi.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const responses = responsesOf(operation);
      operations.push({
        name: operation.operationId.slice(operation.operationId.indexOf("_") + 1),
        operationId: operation.operationId,
        method: method.toUpperCase(),
        route,
        successStatuses: responses.map((r) => r.status).filter((status) => /^2\d\d$/.test(status)),
        ...parametersOf(openapi, pathItem, operation),
        responses,
        ...(operation["x-ms-pageable"] ? { nextLinkName: operation["x-ms-pageable"].nextLinkName } : {}),
      });
    }
  }
  return operations;
}

// ---- events ----------------------------------------------------------------------------------------

/** A field's type descriptor: {type, array?, enum?}; type is a JSON type, "int32", "date-time", "StringMap", "unknown" or a definition name. */
function fieldType(node) {
  if (node.$ref) {
    const name = refName(node.$ref);
    return name === "DateTime" ? { type: "date-time" } : { type: name };
  }
  if (node.type === "array") return { ...fieldType(node.items), array: true };
  if (node.type === undefined) return { type: "unknown" };
  const out = { type: node.format === "int32" ? "int32" : node.format === "date-time" ? "date-time" : node.type };
  if (node.enum) out.enum = [...node.enum];
  return out;
}

/** The fields of a definition, those its allOf brings in first: [{name, type, array?, enum?, required?}]. */
function fieldsOf(schema, name) {
  const definition = schema.definitions[name];
  if (!definition) throw new Error(`unknown event schema definition ${name}`);
  const fields = [];
  for (const part of definition.allOf ?? []) fields.push(...fieldsOf(schema, refName(part.$ref)));
  const required = new Set(definition.required ?? []);
  for (const [field, node] of Object.entries(definition.properties ?? {})) {
    const entry = { name: field, ...fieldType(node), ...(required.has(field) ? { required: true } : {}) };
    const at = fields.findIndex((f) => f.name === field);
    if (at >= 0) fields[at] = entry;
    else fields.push(entry);
  }
  // A base's optional field that the definition requires (without redeclaring it).
  for (const field of fields) if (required.has(field.name)) field.required = true;
  return fields;
}

/** Definition names (other than the data models themselves) that event fields refer to, nested ones included. */
function referencedModels(schema, fieldLists) {
  const found = new Set();
  const visit = (fields) => {
    for (const field of fields) {
      if (!schema.definitions[field.type] || field.type === "StringMap" || found.has(field.type)) continue;
      found.add(field.type);
      visit(fieldsOf(schema, field.type));
    }
  };
  for (const fields of fieldLists) visit(fields);
  return [...found].sort();
}

/** {events, eventModels} of the data file from the event schema. */
export function eventsFromSchema(schema) {
  const events = Object.entries(schema.events).map(([type, event]) => {
    const dataModel = refName(event.data.$ref);
    return { type, subject: event.subject, dataModel, fields: fieldsOf(schema, dataModel) };
  });
  const eventModels = {};
  for (const name of referencedModels(schema, events.map((e) => e.fields))) eventModels[name] = fieldsOf(schema, name);
  return { eventPrefix: "Microsoft.Communication.", events, eventModels };
}
