// Loads a built browser app (a folder with index.html and its bundle) in Chromium from a static server on
// 127.0.0.1 and checks the page (lib/checks.mjs assertPage).
import { launchChromium } from "./browser.mjs";
import { runPage } from "./browser.mjs";
import { assertPage } from "./checks.mjs";
import { serveStatic } from "./static-server.mjs";

export async function checkBuiltApp(ctx, folder, where, checks = {}) {
  const server = await serveStatic(folder);
  const chromium = await launchChromium(ctx.dir);
  try {
    const page = await runPage(chromium.context, `${server.url}/index.html`);
    if (page.warnings.length > 0) ctx.note(`console warnings in the page: ${page.warnings.slice(0, 3).join(" | ")}`);
    return assertPage(page, where, checks);
  } finally {
    await chromium.close();
    await server.close();
  }
}
