/**
 * GitHub's security alert webhooks (docs.github.com/en/webhooks/webhook-events-and-payloads):
 * `dependabot_alert`, `code_scanning_alert` and `secret_scanning_alert`, each `{action, alert: {number,
 * state, html_url, …}, repository, sender}`. One card per alert, open until it is fixed, dismissed or resolved.
 */
import { dedupKey, type EventSpec, link, type Obj, obj, str } from './common.ts';

/** How an event's payload becomes an event (github.ts and this file). */
export type Spec = (body: Obj, repo: string) => EventSpec;
export const login = (v: unknown) => str(obj(v).login);

const CLOSED = new Set(['fixed', 'dismissed', 'auto_dismissed', 'resolved', 'closed_by_user', 'revoked']);
const QUIET = new Set(['appeared_in_branch', 'assigned', 'unassigned', 'updated_assignment', 'validated']);
function securityAlert(kind: string, read: (alert: Obj) => { what: string; severity?: string; rows: EventSpec['rows'] }): Spec {
  return (body, repo) => {
    const alert = obj(body.alert);
    const action = str(body.action) ?? 'updated';
    const number = str(alert.number);
    const resolved = CLOSED.has(action) || CLOSED.has(str(alert.state) ?? '');
    const { what, severity, rows } = read(alert);
    return {
      name: `${kind}${resolved ? ` ${action.replace(/_/g, ' ')}` : ''}: ${what} (${repo})`,
      avatar: resolved ? '✅' : '🛡️',
      notify: !resolved && !QUIET.has(action),
      urgent: !resolved && (severity?.toLowerCase() === 'critical' || action === 'publicly_leaked'),
      resolved,
      dedupKey: number && dedupKey('github', kind.toLowerCase().replace(/ /g, '-'), `${repo}#${number}`),
      rows: [['Repository', repo], ['Action', action], ['Severity', severity], ...rows, ['By', login(body.sender)]],
      actions: [link('Open alert', alert.html_url)],
    };
  };
}

export const dependabot = securityAlert('Dependabot alert', (alert) => {
  const advisory = obj(alert.security_advisory);
  const pkg = str(obj(obj(alert.dependency).package).name);
  const summary = str(advisory.summary) ?? 'vulnerable dependency';
  return {
    what: `${summary}${pkg && !summary.includes(pkg) ? ` in ${pkg}` : ''}`,
    severity: str(advisory.severity) ?? str(obj(alert.security_vulnerability).severity),
    rows: [
      ['Package', pkg],
      ['Manifest', str(obj(alert.dependency).manifest_path)],
      ['Advisory', str(advisory.ghsa_id)],
      ['CVE', str(advisory.cve_id)],
    ],
  };
});

export const codeScanning = securityAlert('Code scanning alert', (alert) => {
  const rule = obj(alert.rule);
  const location = obj(obj(alert.most_recent_instance).location);
  return {
    what: str(rule.description) ?? str(rule.id) ?? 'a new alert',
    severity: str(rule.security_severity_level) ?? str(rule.severity),
    rows: [
      ['Tool', str(obj(alert.tool).name)],
      ['Rule', str(rule.id)],
      ['Location', str(location.path) && `${str(location.path)}:${str(location.start_line) ?? '?'}`],
    ],
  };
});

export const secretScanning = securityAlert('Secret scanning alert', (alert) => ({
  what: `${str(alert.secret_type_display_name) ?? str(alert.secret_type) ?? 'a secret'} exposed`,
  rows: [
    ['Secret type', str(alert.secret_type)],
    ['Resolution', str(alert.resolution)],
  ],
}));

