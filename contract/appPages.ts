/**
 * The PWA's pages. The server answers these paths with the app (200) and any other path with 404, so
 * a monitoring probe or a typo never gets the app's HTML with a 200.
 */
const TOP_PAGES = new Set(['/setup', '/invite', '/reset-password', '/all']);
/** Inside a project (after `/p/<slug>`, or without it for the default project). */
const PROJECT_PAGE = /^\/(?:events\/[^/]+|settings|activity|insights)?$/;
const PROJECT_PREFIX = /^\/p\/([a-z0-9-]{1,40})(\/.*)?$/;

export function isAppPage(path: string): boolean {
  if (TOP_PAGES.has(path)) return true;
  const m = PROJECT_PREFIX.exec(path);
  return PROJECT_PAGE.test(m ? m[2] || '/' : path);
}
