// The same under require(): jobrouter-emulator/msw's handlers answer from the emulator that the main entry's client
// made for the endpoint (the CommonJS entries share one registry), and msw comes from the project.
const { setupServer } = require("msw/node");
const { default: JobRouter } = require("jobrouter-emulator");
const { jobRouterHandlers } = require("jobrouter-emulator/msw");

const endpoint = "https://kit-cjs.communication.azure.com";
const client = JobRouter(`endpoint=${endpoint}/;accesskey=ZGV2`, { emulator: { clock: "manual" } });
const server = setupServer(...jobRouterHandlers({ endpoint }));
server.listen({ onUnhandledRequest: "error" });
(async () => {
  try {
    const created = await client.path("/routing/distributionPolicies/{distributionPolicyId}", "dp-cjs").patch({
      contentType: "application/merge-patch+json",
      body: { offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } },
    });
    const fetched = await fetch(`${endpoint}/routing/distributionPolicies/dp-cjs?api-version=2023-11-01`);
    console.log(JSON.stringify({ created: created.status, fetched: fetched.status, id: (await fetched.json()).id }));
  } finally {
    server.close();
  }
})();
