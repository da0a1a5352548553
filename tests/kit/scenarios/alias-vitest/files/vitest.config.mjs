export default { resolve: { alias: { "@azure-rest/communication-job-router": "jobrouter-emulator" } } };
