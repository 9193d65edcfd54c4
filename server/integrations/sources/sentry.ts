/**
 * Sentry's alert webhooks, both shapes:
 * - the legacy Webhooks plugin (a project's "Webhooks" integration):
 *   `{id, project, project_name, culprit, message, url, level, event: {…}}`;
 * - the integration platform (docs.sentry.io/organization/integrations/integration-platform/webhooks/):
 *   `{action, data: {event | issue | metric_alert, triggered_rule}, installation, actor}`, the resource
 *   in the `Sentry-Hook-Resource` header (event_alert, issue, metric_alert).
 * One event per delivery, one card per Sentry issue.
 */
import type { HookDelivery, MappedEvent } from '../types.ts';
import { dedupKey, type EventSpec, event, isObj, link, type Obj, obj, str } from './common.ts';

const CLOSED = new Set(['resolved', 'archived', 'ignored']);

function issueSpec(fields: {
  id?: string;
  title?: string;
  level?: string;
  project?: string;
  culprit?: string;
  action?: string;
  rule?: string;
  urls: unknown[];
  extra?: EventSpec['rows'];
}): EventSpec {
  const action = fields.action ?? 'triggered';
  const resolved = CLOSED.has(action);
  const fatal = fields.level?.toLowerCase() === 'fatal';
  const prefix = action === 'triggered' || action === 'created' ? '' : `Issue ${action}: `;
  const url = fields.urls.find((u) => link('x', u) !== undefined);
  return {
    name: `${prefix}${fields.title ?? 'Sentry issue'}${fields.project ? ` (${fields.project})` : ''}`,
    avatar: resolved ? '✅' : fatal ? '💥' : undefined,
    notify: !resolved && action !== 'assigned',
    urgent: !resolved && fatal,
    resolved,
    dedupKey: dedupKey('sentry', 'issue', fields.id),
    rows: [
      ['Level', fields.level],
      ['Project', fields.project],
      ['Culprit', fields.culprit],
      ['Alert rule', fields.rule],
      ['Action', action],
      ...(fields.extra ?? []),
    ],
    actions: [link('Open in Sentry', url)],
  };
}

/** The legacy plugin's body: the issue's fields at the top, its latest event under `event`. */
function legacy(body: Obj): EventSpec {
  const ev = obj(body.event);
  return issueSpec({
    id: str(body.id),
    title: str(ev.title) ?? str(body.message) ?? str(body.culprit),
    level: str(body.level) ?? str(ev.level),
    project: str(body.project_name) ?? str(body.project_slug) ?? str(body.project),
    culprit: str(body.culprit),
    rule: str(body.triggering_rules) ?? (Array.isArray(body.triggering_rules) ? body.triggering_rules.filter((r) => typeof r === 'string').join(', ') : undefined),
    urls: [body.url],
    extra: [
      ['Message', str(body.message)],
      ['Environment', str(ev.environment)],
      ['Tags', Array.isArray(ev.tags) ? ev.tags : undefined],
    ],
  });
}

function metricAlert(action: string, data: Obj): EventSpec {
  const alert = obj(data.metric_alert);
  const resolved = action === 'resolved';
  return {
    name: str(data.description_title) ?? str(alert.title) ?? `Metric alert ${action}`,
    avatar: resolved ? '✅' : undefined,
    notify: !resolved,
    urgent: action === 'critical',
    resolved,
    dedupKey: dedupKey('sentry', 'metric-alert', str(alert.id)),
    rows: [
      ['Status', action],
      ['Description', str(data.description_text)],
      ['Rule', str(obj(alert.alert_rule).name)],
    ],
    actions: [link('Open in Sentry', data.web_url)],
  };
}

function platform(body: Obj, resource: string | undefined): EventSpec | undefined {
  const action = str(body.action) ?? 'triggered';
  const data = obj(body.data);
  if (resource === 'metric_alert' || isObj(data.metric_alert)) return metricAlert(action, data);
  if (isObj(data.event)) {
    const ev = data.event;
    return issueSpec({
      id: str(ev.issue_id),
      title: str(ev.title) ?? str(ev.message),
      level: str(ev.level),
      culprit: str(ev.culprit),
      action,
      rule: str(data.triggered_rule),
      urls: [ev.web_url, ev.issue_url, ev.url],
      extra: [
        ['Project id', str(ev.project)],
        ['Environment', str(ev.environment)],
      ],
    });
  }
  if (isObj(data.issue)) {
    const issue = data.issue;
    const project = obj(issue.project);
    return issueSpec({
      id: str(issue.id),
      title: str(issue.title) ?? str(issue.shortId),
      level: str(issue.level),
      project: str(project.name) ?? str(project.slug),
      culprit: str(issue.culprit),
      action,
      urls: [issue.web_url, issue.permalink, issue.url],
      extra: [
        ['Issue', str(issue.shortId)],
        ['Events', str(issue.count)],
        ['Users', str(issue.userCount)],
        ['Assigned to', str(obj(issue.assignedTo).name) ?? str(obj(issue.assignedTo).email)],
      ],
    });
  }
  return undefined;
}

export function mapSentry(delivery: HookDelivery): MappedEvent[] {
  const body = obj(delivery.body);
  const resource = str(delivery.headers?.['sentry-hook-resource']);
  const spec = isObj(body.data) ? platform(body, resource) : str(body.id) && (body.url || body.event) ? legacy(body) : undefined;
  return spec ? [event('sentry', spec)] : [];
}
