// A Vite logger that records every warning and error (and the info lines, for the failure message).
export function capturingLogger() {
  const lines = [];
  const problems = [];
  const warnedOnce = new Set();
  const logger = {
    hasWarned: false,
    info: (msg) => {
      lines.push(`info: ${msg}`);
    },
    warn: (msg) => {
      logger.hasWarned = true;
      problems.push(`warn: ${msg}`);
    },
    warnOnce: (msg) => {
      if (warnedOnce.has(msg)) return;
      warnedOnce.add(msg);
      logger.hasWarned = true;
      problems.push(`warn: ${msg}`);
    },
    error: (msg) => {
      problems.push(`error: ${msg}`);
    },
    clearScreen: () => {},
    hasErrorLogged: () => false,
    lines,
    problems,
    /** Throws when the log has a warning or error (or the browser-compatibility externalization message). */
    assertClean(where) {
      const external = lines.filter((line) => line.includes("externalized for browser compatibility"));
      const all = [...problems, ...external];
      if (all.length > 0) throw new Error(`${where} log:\n  ${all.join("\n  ")}`);
    },
  };
  return logger;
}
