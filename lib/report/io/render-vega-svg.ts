/**
 * Renders a Vega-Lite spec to a static SVG string without a browser: compiled to Vega, run in a
 * headless View (renderer "none") and serialised with `toSVG()`. Vega is imported here, lazily, so
 * only the commands that draw a report load it.
 */
import type { TopLevelSpec } from "vega-lite";

export async function renderVegaSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  let view: InstanceType<typeof vega.View> | undefined;
  try {
    const compiled = vegaLite.compile(spec).spec;
    // No loader can reach the network: the data is inline, and anything else is an error.
    const loader = vega.loader({ mode: "file" });
    loader.load = (uri: string) => Promise.reject(new Error(`render chart: refusing to load "${uri}"; report charts use inline data only`));
    view = new vega.View(vega.parse(compiled), { renderer: "none", loader, logLevel: vega.Warn });
    return await view.toSVG();
  } catch (error) {
    throw new Error(`render chart: Vega could not render the spec: ${(error as Error).message}`, { cause: error });
  } finally {
    view?.finalize();
  }
}
