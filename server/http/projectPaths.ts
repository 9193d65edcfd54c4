/**
 * A project's session routes live under `/api/projects/:slug/`; the older paths without a project
 * keep answering for `default` (CONTRACT §7). One handler serves both.
 */
export function projectPaths(rest: string, legacy: string | null = `/api/${rest}`): string[] {
  return legacy === null ? [`/api/projects/:slug/${rest}`] : [`/api/projects/:slug/${rest}`, legacy];
}
