// The lifecycle through the official package's name (@azure-rest/communication-job-router), which the
// alias scenarios map to jobrouter-emulator.
import JobRouterClient, { isUnexpected } from "@azure-rest/communication-job-router";
import { lifecycle } from "./lifecycle.mjs";

export function runOfficialName() {
  return lifecycle(JobRouterClient, isUnexpected, { endpoint: "https://alias.communication.azure.com" });
}
