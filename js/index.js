// @ts-check
// jobrouter-emulator: an offline, in-process Azure Communication Services Job Router (REST API
// 2023-11-01) behind the same API as @azure-rest/communication-job-router.
//
//   import JobRouter, { isUnexpected, paginate, RouterEmulator } from "jobrouter-emulator";
//
// This file is the browser-safe entry (package.json exports "default"); js/node.js is the same API for Node.

import { JobRouter, RestError, isUnexpected } from "./client.js";
import { RouterEmulator } from "./emulator.js";
import { EVENT_TYPES } from "./event-types.js";
import { createEmulatorHttpClient } from "./http-client.js";
import { paginate } from "./paginate.js";

export {
  EVENT_TYPES,
  JobRouter,
  JobRouter as createClient,
  RestError,
  RouterEmulator,
  createEmulatorHttpClient,
  isUnexpected,
  paginate,
};
export default JobRouter;
