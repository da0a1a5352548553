// The official REST client as @azure-rest/communication-job-router builds it — getClient of
// @azure-rest/core-client with api-version 2023-11-01, plus @azure/communication-common's HMAC auth policy —
// with this package's createEmulatorHttpClient as its transport. `client.emulator` is the endpoint's shared
// emulator (what the lifecycle drives).
import { getClient } from "@azure-rest/core-client";
import { createCommunicationAuthPolicy, parseClientArguments } from "@azure/communication-common";
import { RouterEmulator, createEmulatorHttpClient } from "jobrouter-emulator";

export function OfficialJobRouter(connectionString, options = {}) {
  const emulator = RouterEmulator.for(connectionString, options.emulator);
  const { url, credential } = parseClientArguments(connectionString);
  const client = getClient(url, { apiVersion: "2023-11-01", httpClient: createEmulatorHttpClient(emulator), ...options.client });
  client.pipeline.addPolicy(createCommunicationAuthPolicy(credential));
  client.emulator = emulator;
  return client;
}
