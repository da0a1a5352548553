const { JobRouter, isUnexpected } = require("jobrouter-emulator");
const { lifecycle } = require("./src/lifecycle.cjs");
const { differences } = require("./src/expected.cjs");

test("lifecycle (require)", async () => {
  expect(differences(await lifecycle(JobRouter, isUnexpected))).toEqual([]);
});

test("lifecycle under jest.useFakeTimers()", async () => {
  jest.useFakeTimers();
  try {
    expect(differences(await lifecycle(JobRouter, isUnexpected, { endpoint: "https://fake-timers.communication.azure.com" }))).toEqual([]);
  } finally {
    jest.useRealTimers();
  }
});
