// The shared lifecycle through the official Azure REST pipeline (URL building, policies, HMAC signing,
// deserialization) with createEmulatorHttpClient as the transport.
import { isUnexpected } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.mjs";
import { OfficialJobRouter } from "./src/official-client.mjs";

let signed = 0;
const summary = await lifecycle((conn, options) => {
  const client = OfficialJobRouter(conn, options);
  client.pipeline.addPolicy({
    name: "kit-signed",
    sendRequest: (request, next) => {
      if (request.headers.get("authorization")?.startsWith("HMAC-SHA256 ")) signed++;
      return next(request);
    },
  }, { phase: "Sign", afterPolicies: ["CommunicationKeyCredentialPolicy"] });
  return client;
}, isUnexpected);
console.log(JSON.stringify({ summary, signed }));
