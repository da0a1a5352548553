// msw/node's setupServer with jobrouter-emulator/msw's handlers; the shared lifecycle over plain fetch.
import { setupServer } from "msw/node";
import { RouterEmulator } from "jobrouter-emulator";
import { jobRouterHandlers } from "jobrouter-emulator/msw";
import { lifecycle } from "./src/lifecycle.mjs";
import { fetchClientFactory, isUnexpectedStatus } from "./src/fetch-client.mjs";

const endpoint = "https://kit.communication.azure.com";
const server = setupServer(...jobRouterHandlers({ endpoint }));
server.listen({ onUnhandledRequest: "error" });
try {
  const FetchJobRouter = fetchClientFactory({ emulatorFor: (url, options) => RouterEmulator.for(url, options) });
  const summary = await lifecycle(FetchJobRouter, isUnexpectedStatus, { endpoint });
  console.log(JSON.stringify({ summary }));
} finally {
  server.close();
}
