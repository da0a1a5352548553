// jobrouter-emulator: an offline, in-process Azure Communication Services Job Router (REST API
// 2023-11-01) behind the same API as @azure-rest/communication-job-router.
//
//   import JobRouter, { isUnexpected, paginate, RouterEmulator } from "jobrouter-emulator";

import { JobRouter, RestError, isUnexpected } from "./client.js";
import { RouterEmulator } from "./emulator.js";
import { paginate } from "./paginate.js";

export { JobRouter, JobRouter as createClient, RestError, RouterEmulator, isUnexpected, paginate };
export default JobRouter;
