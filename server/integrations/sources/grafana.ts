/**
 * Grafana alerting's webhook contact point (grafana.com/docs/grafana/latest/alerting/configure-notifications/
 * manage-contact-points/integrations/webhook-notifier/): Alertmanager's shape plus `title`, `message`,
 * `state`, `orgId`, and per alert `silenceURL`, `dashboardURL`, `panelURL`, `valueString`, `values`.
 * One event per alert. The legacy (pre-8) alerting body `{ruleId, ruleName, state, ruleUrl, evalMatches}`
 * becomes one event per rule.
 */
import type { HookDelivery, MappedEvent } from '../types.ts';
import { alertEvent, groupAlerts } from './alertmanager.ts';
import { arr, dedupKey, event, link, type Obj, obj, str } from './common.ts';

function legacy(body: Obj): MappedEvent[] {
  const state = str(body.state);
  const ruleId = str(body.ruleId);
  if (state === undefined || (ruleId === undefined && str(body.ruleName) === undefined)) return [];
  const resolved = state === 'ok';
  const alerting = state === 'alerting';
  return [
    event('grafana', {
      name: `${str(body.ruleName) ?? str(body.title) ?? 'Grafana alert'}${resolved ? ' (OK)' : ''}`,
      avatar: resolved ? '✅' : undefined,
      notify: alerting,
      resolved,
      dedupKey: dedupKey('grafana', 'rule', ruleId ?? str(body.ruleName)),
      rows: [
        ['State', state],
        ['Message', str(body.message)],
        ['Matches', arr(body.evalMatches)],
        ['Tags', obj(body.tags)],
      ],
      actions: [link('Open in Grafana', body.ruleUrl)],
    }),
  ];
}

export function mapGrafana(delivery: HookDelivery): MappedEvent[] {
  const group = obj(delivery.body);
  if (!Array.isArray(group.alerts)) return legacy(group);
  const { alerts, cut } = groupAlerts(group);
  return alerts.map((alert) =>
    alertEvent('grafana', group, alert, cut, () => ({
      rows: [
        ['Value', str(alert.valueString)],
        ['Values', obj(alert.values)],
      ],
      actions: [
        link('Open dashboard', alert.dashboardURL),
        link('Open panel', alert.panelURL),
        link('Open alert rule', alert.generatorURL),
        link('Silence', alert.silenceURL),
      ],
    })),
  );
}
