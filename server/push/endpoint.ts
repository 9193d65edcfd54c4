/**
 * Which push endpoints the server will POST to. A subscription's endpoint is a URL the browser gives
 * us and the server later calls on its own, so without a check any signed-in session could make the
 * server send requests anywhere (SSRF). Only the browsers' push services are allowed.
 */

/** Hostname patterns of the push services browsers use; `*.` matches any subdomain. */
export const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com', // Chrome, Edge on Android, Opera, Samsung Internet, Brave, Vivaldi
  '*.push.services.mozilla.com', // Firefox (updates.push.services.mozilla.com)
  '*.notify.windows.com', // Edge on Windows (WNS)
  'web.push.apple.com', // Safari on macOS and iOS/iPadOS home-screen apps
  '*.push.apple.com',
] as const;

const matches = (hostname: string, pattern: string) =>
  pattern.startsWith('*.') ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1 : hostname === pattern;

/**
 * Why `raw` is not an acceptable push endpoint, or null when it is. `overrideHosts` (PUSH_ENDPOINT_HOSTS)
 * replaces the list with exact host[:port] values, and for those hosts only, plain http is allowed.
 */
export function endpointProblem(raw: string, overrideHosts: readonly string[] | null): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (overrideHosts !== null) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
    return overrideHosts.includes(url.host) ? null : `must be on one of the configured push hosts (${overrideHosts.join(', ')})`;
  }
  if (url.protocol !== 'https:') return 'must be an https URL';
  // An explicit port is never part of a real push service's endpoint.
  if (url.port !== '' || !PUSH_SERVICE_HOSTS.some((p) => matches(url.hostname, p))) {
    return 'must be the endpoint of a browser push service';
  }
  return null;
}

/** The endpoint's host, the only part of it fit for a log line (its path is a bearer secret). */
export function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'invalid-endpoint';
  }
}
