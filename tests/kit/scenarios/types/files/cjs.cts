// CommonJS consumer (module nodenext, a .cts file): the `require` types (js/cjs/*.d.ts).
import router = require("jobrouter-emulator");
import msw = require("jobrouter-emulator/msw");
import playwright = require("jobrouter-emulator/playwright");

const client = router.JobRouter("endpoint=https://types.communication.azure.com/;accesskey=a2l0");
const viaDefault = router.default("endpoint=https://types.communication.azure.com/;accesskey=a2l0");
async function main(): Promise<void> {
  const res = await client.path("/routing/queues/{queueId}", "q").get();
  if (router.isUnexpected(res)) return;
  const name: string | undefined = res.body.name;
  void name;
}
void [viaDefault, main, msw.jobRouterHandlers, playwright.routeJobRouter];
