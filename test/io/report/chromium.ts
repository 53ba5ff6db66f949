/**
 * Opens a page in headless Chromium (Debian's `chromium`) without DevTools: `--dump-dom` gives the
 * DOM after load, `--enable-logging=stderr` prints every console message as a `CONSOLE` line, and
 * `--log-net-log` records every request; the ones a page made carry its origin as initiator, while
 * Chromium's own background requests read "not an origin". Host names resolve nowhere, so nothing
 * leaves the machine whatever the page asks for.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The browser, or null (the tests that need it are skipped). */
export const CHROMIUM: string | null = Bun.which("chromium") ?? Bun.which("chromium-browser");
export const NO_CHROMIUM = "chromium is not installed (apt-get install -y chromium; .ci/run installs it when it can)";

export type PageLoad = {
  /** The DOM after load, serialised. */
  dom: string;
  /** Every console message the page produced (any level): a page without script should have none. */
  console: string[];
  /** URLs the page itself requested over the network (Chromium's own background requests left out). */
  pageRequests: string[];
};

/** Loads `file` (an absolute path); with `screenshot`, also writes a PNG of the first `height` pixels. */
export async function loadInChromium(file: string, options: { screenshot?: string; width?: number; height?: number } = {}): Promise<PageLoad> {
  if (!CHROMIUM) throw new Error(`load ${file} in Chromium: ${NO_CHROMIUM}`);
  const work = mkdtempSync(join(tmpdir(), "macprovider-chromium-"));
  const netlog = join(work, "netlog.json");
  const args = [
    CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--user-data-dir=${join(work, "profile")}`,
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0", `--log-net-log=${netlog}`,
    `--window-size=${options.width ?? 1000},${options.height ?? 1800}`,
    ...(options.screenshot ? [`--screenshot=${options.screenshot}`] : []),
    "--dump-dom", `file://${file}`,
  ];
  try {
    const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const timer = setTimeout(() => proc.kill(), 60_000);
    const [dom, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    if (code !== 0) throw new Error(`load ${file} in Chromium: exit ${code}\n${stderr.slice(-2000)}`);
    return { dom, console: stderr.split("\n").filter((l) => /:CONSOLE[:(\]]/.test(l)), pageRequests: pageRequests(readFileSync(netlog, "utf8")) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** URL requests a document started (its origin as initiator), from a net-log (possibly cut short at exit). */
export function pageRequests(netlogText: string): string[] {
  let log: { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: Record<string, unknown> }[] };
  try {
    log = JSON.parse(netlogText);
  } catch {
    log = JSON.parse(netlogText.trimEnd().replace(/,?\s*$/, "") + "]}");
  }
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === startJob && typeof e.params?.url === "string" && e.params.initiator !== "not an origin")
    .map((e) => String(e.params!.url));
}
