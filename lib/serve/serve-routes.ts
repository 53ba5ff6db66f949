/**
 * The routes serve answers and the methods each takes (HEAD with every GET), and the request
 * path read from the request target without trusting the Host header: Bun builds `req.url` from
 * Host, which an HTTP/1.0 client may omit and any client may send empty or invalid.
 */
export const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/health": ["GET", "HEAD"],
  "/metrics": ["GET", "HEAD"],
  "/v1/models": ["GET", "HEAD"],
  "/v1/capacity": ["GET", "HEAD"],
  "/v1/chat/completions": ["POST"],
  "/v1/completions": ["POST"],
};

/** "/a" from "/a?b" (origin form, no usable Host) or "http://host/a?b" (any authority, even an invalid one). */
export function requestPath(url: string): string {
  let start = 0;
  if (!url.startsWith("/")) {
    const scheme = url.indexOf("://");
    const slash = scheme === -1 ? -1 : url.indexOf("/", scheme + 3);
    if (slash === -1) return "/";
    start = slash;
  }
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/** The metrics label of a path: itself for a route, "other" for anything else. */
export function routeLabel(path: string): string {
  return Object.hasOwn(ROUTES, path) ? path : "other";
}
