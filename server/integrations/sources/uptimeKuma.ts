/**
 * Uptime Kuma's Webhook notification (server/notification-providers/webhook.js): JSON
 * `{heartbeat: {monitorID, status, msg, time, ping, …}, monitor: {id, name, url, type, …}, msg}`, or the
 * same object as a form's `data` field. Heartbeat status: 0 down, 1 up, 2 pending, 3 maintenance. The
 * "Test" button sends `heartbeat` and `monitor` null. One card per monitor: down opens it, up resolves it.
 */
import type { HookDelivery, MappedEvent } from '../types.ts';
import { dedupKey, event, isObj, link, type Obj, obj, str } from './common.ts';

const STATUS: Record<number, { word: string; avatar: string }> = {
  0: { word: 'down', avatar: '🔴' },
  1: { word: 'up', avatar: '✅' },
  2: { word: 'pending', avatar: '🟡' },
  3: { word: 'under maintenance', avatar: '🔧' },
};

/** The form-data variant holds the JSON body as text in `data`. */
function payload(body: unknown): Obj {
  const o = obj(body);
  if (typeof o.data === 'string' && !('heartbeat' in o) && !('monitor' in o)) {
    try {
      return obj(JSON.parse(o.data));
    } catch {
      return {};
    }
  }
  return o;
}

export function mapUptimeKuma(delivery: HookDelivery): MappedEvent[] {
  const body = payload(delivery.body);
  const heartbeat = obj(body.heartbeat);
  const monitor = obj(body.monitor);
  const msg = str(body.msg);
  if (!isObj(body.heartbeat) && !isObj(body.monitor)) {
    if (msg === undefined) return [];
    // The "Test" button, or a message about no monitor (a certificate expiry warning is one).
    return [event('uptime-kuma', { name: `Uptime Kuma: ${msg}`, notify: false, rows: [['Message', msg]] })];
  }
  const id = str(monitor.id) ?? str(heartbeat.monitorID);
  const name = str(monitor.name) ?? (id ? `Monitor ${id}` : 'A monitor');
  const status = typeof heartbeat.status === 'number' ? STATUS[heartbeat.status] : undefined;
  const down = heartbeat.status === 0;
  const up = heartbeat.status === 1;
  const detail = str(heartbeat.msg);
  const url = str(monitor.url);
  return [
    event('uptime-kuma', {
      name: status ? `${name} is ${status.word}${detail && !up ? `: ${detail}` : ''}` : (msg ?? `${name}: status unknown`),
      avatar: status?.avatar,
      notify: down,
      resolved: up,
      dedupKey: dedupKey('uptime-kuma', 'monitor', id),
      rows: [
        ['Status', status?.word],
        ['Message', detail ?? msg],
        ['Monitor', name],
        ['Type', str(monitor.type)],
        ['URL', url && link('x', url) ? url : undefined],
        ['Host', str(monitor.hostname)],
        ['Response time', typeof heartbeat.ping === 'number' ? `${heartbeat.ping} ms` : undefined],
        ['Time', str(heartbeat.localDateTime) ?? str(heartbeat.time)],
        ['Time zone', str(heartbeat.timezone)],
      ],
      actions: [link('Open monitored URL', url)],
    }),
  ];
}
