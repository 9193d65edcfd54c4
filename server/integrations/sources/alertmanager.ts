/**
 * Prometheus Alertmanager's webhook receiver, payload version "4" (prometheus.io/docs/alerting/latest/
 * configuration/#webhook_config): `{version, groupKey, truncatedAlerts, status, receiver, groupLabels,
 * commonLabels, commonAnnotations, externalURL, alerts: [{status, labels, annotations, startsAt, endsAt,
 * generatorURL, fingerprint}]}`. One event per alert. Grafana's unified alerting sends the same shape.
 */
import type { IntegrationSource } from '../../../contract/integrations.ts';
import type { HookDelivery, MappedEvent } from '../types.ts';
import { type Action, arr, dedupKey, event, isObj, link, MAX_EVENTS, type Obj, obj, type RowSpec, str } from './common.ts';

/** Alertmanager's "no end yet" time. */
const ZERO_TIME = /^0001-01-01/;

function stringLabels(value: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(obj(value))) {
    const s = str(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** "DiskFull on db-1: Disk almost full" */
export function alertName(labels: Record<string, string>, annotations: Record<string, string>): string {
  const where = labels.instance ?? labels.job;
  const what = labels.alertname ?? 'Alert';
  const summary = annotations.summary ?? annotations.title;
  return `${what}${where ? ` on ${where}` : ''}${summary ? `: ${summary}` : ''}`;
}

/** A stable id for an alert without a fingerprint: its labels, sorted. */
function labelsId(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

export interface AlertParts {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resolved: boolean;
}

/** A group's alerts, at most MAX_EVENTS of them, and how many more it held. */
export function groupAlerts(group: Obj): { alerts: Obj[]; cut: number } {
  const all = arr(group.alerts).filter(isObj);
  return { alerts: all.slice(0, MAX_EVENTS), cut: Math.max(0, all.length - MAX_EVENTS) };
}

/** The event shared by Alertmanager and Grafana; each adds its own rows and links. */
export function alertEvent(
  source: IntegrationSource,
  group: Obj,
  alert: Obj,
  cut: number,
  extra: (parts: AlertParts) => { rows: RowSpec[]; actions: (Action | undefined)[] },
): MappedEvent {
  const labels = stringLabels(alert.labels);
  const annotations = stringLabels(alert.annotations);
  const resolved = (str(alert.status) ?? str(group.status)) === 'resolved';
  const own = extra({ labels, annotations, resolved });
  const ends = str(alert.endsAt);
  // Alertmanager's own count (max_alerts), and those past MAX_EVENTS.
  const truncated = (typeof group.truncatedAlerts === 'number' && group.truncatedAlerts > 0 ? group.truncatedAlerts : 0) + cut;
  return event(source, {
    name: alertName(labels, annotations),
    avatar: resolved ? '✅' : undefined,
    notify: !resolved,
    urgent: !resolved && labels.severity?.toLowerCase() === 'critical',
    resolved,
    dedupKey: dedupKey(source, str(group.groupKey) ?? '', str(alert.fingerprint) ?? labelsId(labels)),
    rows: [
      ['Status', resolved ? 'resolved' : (str(alert.status) ?? 'firing')],
      ['Description', annotations.description],
      ...own.rows,
      ['Labels', labels],
      ['Annotations', annotations],
      ['Started', str(alert.startsAt)],
      ['Ended', ends && !ZERO_TIME.test(ends) ? ends : undefined],
      ['Receiver', str(group.receiver)],
      ['Alerts left out of this delivery', truncated || undefined],
    ],
    actions: [...own.actions, link('Runbook', annotations.runbook_url)],
  });
}

/** Alertmanager's silence form, prefilled with the alert's labels (just its name when they are too long). */
export function silenceUrl(externalURL: unknown, labels: Record<string, string>): string | undefined {
  const base = str(externalURL)?.replace(/\/+$/, '');
  if (!base) return undefined;
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const matcher = (keys: string[]) => `{${keys.map((k) => `${k}=${quote(labels[k]!)}`).join(',')}}`;
  const all = `${base}/#/silences/new?filter=${encodeURIComponent(matcher(Object.keys(labels)))}`;
  if (all.length <= 2048 || labels.alertname === undefined) return all;
  return `${base}/#/silences/new?filter=${encodeURIComponent(matcher(['alertname']))}`;
}

export function mapAlertmanager(delivery: HookDelivery): MappedEvent[] {
  const group = obj(delivery.body);
  const { alerts, cut } = groupAlerts(group);
  return alerts.map((alert) =>
    alertEvent('alertmanager', group, alert, cut, ({ labels }) => ({
      rows: [],
      actions: [link('Open in Prometheus', alert.generatorURL), link('Silence', silenceUrl(group.externalURL, labels))],
    })),
  );
}
