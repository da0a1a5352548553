// A front-end project's settings (module esnext, moduleResolution bundler, lib dom).
import JobRouter, { isUnexpected } from "jobrouter-emulator";
import { jobRouterHandlers } from "jobrouter-emulator/msw";

const client = JobRouter("https://types.communication.azure.com");
export async function queueName(id: string): Promise<string | undefined> {
  const res = await client.path("/routing/queues/{queueId}", id).get();
  if (isUnexpected(res)) throw new Error(res.status);
  document.title = res.body.name ?? id;
  return res.body.name;
}
export const handlers = jobRouterHandlers({ endpoint: "https://types.communication.azure.com" });
