module.exports = { moduleNameMapper: { "^@azure-rest/communication-job-router$": "jobrouter-emulator" } };
