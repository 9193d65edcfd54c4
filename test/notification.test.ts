/** The pure halves of push: the payload from an event, the notification from a payload, and a tap. */
import { describe, expect, it } from 'vitest';
import type { ActionDto, EventDto } from '../contract/api.ts';
import { ACK_ACTION, ackPath, withDeclarative } from '../contract/push.ts';
import { alreadyShown, badgeAfterPush, eventPushPayload, mentionPushPayload, noticePushPayload, notificationOptions, notificationTarget, planNotificationClick, pushActions, testPushPayload } from '../contract/push.ts';
import { deviceName, isIosSafari } from '../src/lib/device.ts';
import { pushSay } from '../server/i18n/push.ts';

/** The pushes' words in English, from the catalogs. */
const say = pushSay('en');

const event = (over: Partial<EventDto>): EventDto =>
  ({ id: 'e1', name: 'Payment failed', avatar: '💳', type: 'text', content: 'card declined', category: 'billing', createdAt: '2026-11-28T12:00:00.000Z', ...over }) as EventDto;

describe('eventPushPayload', () => {
  it('titles the notification "<avatar> <name>", previews the content and links to the event', () => {
    expect(eventPushPayload(say, event({}))).toEqual({
      kind: 'event',
      id: 'e1',
      title: '💳 Payment failed',
      body: 'card declined',
      timestamp: Date.parse('2026-11-28T12:00:00.000Z'),
      url: '/events/e1',
    });
  });

  it('leaves an image-URL avatar out of the title and keeps the payload small', () => {
    const p = eventPushPayload(say, event({ avatar: 'https://example.com/a.png', name: 'x'.repeat(500), content: 'y'.repeat(5000) }));
    expect(p.title.startsWith('x')).toBe(true);
    expect(p.title.length).toBeLessThanOrEqual(120);
    expect(p.body.length).toBeLessThanOrEqual(180);
    expect(JSON.stringify(p).length).toBeLessThan(1024);
  });

  it('falls back to the category when there is no content', () => {
    expect(eventPushPayload(say, event({ content: null })).body).toBe('billing');
    // An event of another project opens in it, and says where it is when asked to.
    const elsewhere = eventPushPayload(say, event({}), { slug: 'ops', name: 'Ops' });
    expect(elsewhere.url).toMatch(/^\/p\/ops\/events\//);
    expect(elsewhere.title.startsWith('Ops · ')).toBe(true);
  });
});

describe('notificationOptions', () => {
  it('uses the event id as tag (a repeat replaces, not piles up) and carries the link', () => {
    const { title, options } = notificationOptions(eventPushPayload(say, event({})), '/icon-192.png');
    expect(title).toBe('💳 Payment failed');
    expect(options).toMatchObject({ body: 'card declined', tag: 'e1', icon: '/icon-192.png', data: { url: '/events/e1' } });
    expect(options.timestamp).toBe(Date.parse('2026-11-28T12:00:00.000Z'));
    expect(notificationOptions(testPushPayload(say, 5), '/i.png').options.tag).toBe('test');
  });
});

describe('planNotificationClick', () => {
  const origin = 'https://ops.example.com';
  it('focuses a window already on the event', () => {
    expect(planNotificationClick('/events/e1', ['https://ops.example.com/', 'https://ops.example.com/events/e1'], origin)).toEqual({
      action: 'focus',
      clientIndex: 1,
      url: 'https://ops.example.com/events/e1',
    });
  });
  it('otherwise focuses an open window of the app and sends it to the event', () => {
    expect(planNotificationClick('/events/e1', ['https://ops.example.com/settings'], origin)).toEqual({ action: 'focus', clientIndex: 0, url: 'https://ops.example.com/events/e1' });
  });
  it('opens a window when none is open, and never leaves the origin', () => {
    expect(planNotificationClick('/events/e1', [], origin)).toEqual({ action: 'open', url: 'https://ops.example.com/events/e1' });
    expect(planNotificationClick('https://evil.example.net/x', [], origin)).toEqual({ action: 'open', url: 'https://ops.example.com/' });
  });
});

describe('deviceName', () => {
  it('names common browsers and systems', () => {
    expect(deviceName('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome on Android');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox on Windows');
    expect(isIosSafari('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1')).toBe(true);
    expect(isIosSafari('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 CriOS/131.0 Mobile/15E148 Safari/604.1')).toBe(false);
  });
});

describe('acting from a notification (CONTRACT §8)', () => {
  const NOW = Date.parse('2026-11-28T12:00:00.000Z');
  const action = (key: string, over: Partial<ActionDto> = {}): ActionDto => ({
    key,
    buttonText: key.toUpperCase(),
    url: 'https://example.com/hook',
    meta: null,
    external: false,
    expiresAt: '2026-11-28T13:00:00.000Z',
    repeat: false,
    type: null,
    role: null,
    risk: 'low',
    confirmText: null,
    reply: false,
    input: null,
    resolves: false,
    state: 'idle',
    attempts: 0,
    request: null,
    lastAttempt: null,
    ...over,
  });

  it('says in place who acknowledged an event, and tells a mentioned person who mentioned them and what they wrote', () => {
    const base = { id: 'e1', name: 'Disk full', avatar: null, type: 'text' as const, content: null, category: null, createdAt: '2026-11-28T11:00:00.000Z', actions: [], handled: null };
    expect(noticePushPayload(say, { ...base, acknowledged: { by: 'ana@example.com', at: '2026-11-28T11:01:00.000Z' } }, 'acknowledged')).toMatchObject({ kind: 'notice', id: 'e1', body: '👀 Acknowledged by ana@example.com' });
    expect(noticePushPayload(say, { ...base, acknowledged: null }, 'acknowledged')).toBeNull();
    const note = { id: 'act_1', by: { id: 'u', email: 'ana@example.com', name: 'Ana' }, text: '@ben can you\n look?', at: '2026-11-28T11:02:00.000Z' };
    const pushed = mentionPushPayload(say, base, note)!;
    expect(pushed).toMatchObject({ id: 'mention-act_1', title: 'Ana mentioned you · Disk full', body: '@ben can you look?', url: '/events/e1' });
    expect(pushed.actions).toBeUndefined();
    expect(mentionPushPayload(say, base, null)).toBeNull();
  });

  it('an open event offers Acknowledge first (one action beside it), and carries the Declarative Web Push form with absolute links', () => {
    const event = { id: 'e1', name: 'Disk full', avatar: null, type: 'text' as const, content: 'db-1 at 97%', category: null, createdAt: '2026-11-28T11:00:00.000Z' };
    const actions = [{ action: 'clean', title: 'Clean /tmp' }, { action: 'page', title: 'Page Bo' }];
    const p = eventPushPayload(say, event, { slug: 'ops', name: null }, actions, ackPath('ops', 'e1'));
    expect(p.actions).toEqual([{ action: ACK_ACTION, title: 'Acknowledge' }, { action: 'clean', title: 'Clean /tmp' }]);
    expect(p.ack).toBe('/api/projects/ops/events/e1/ack');
    expect(notificationOptions(p, '/icon.png').options.data).toMatchObject({ url: '/p/ops/events/e1', ack: '/api/projects/ops/events/e1/ack' });
    const d = withDeclarative(p, 'https://sb.example.com');
    expect(d).toMatchObject({ web_push: 8030, mutable: true, kind: 'event', id: 'e1' });
    expect(d.notification).toEqual({
      title: 'Disk full',
      body: 'db-1 at 97%',
      navigate: 'https://sb.example.com/p/ops/events/e1',
      tag: 'e1',
      timestamp: Date.parse('2026-11-28T11:00:00.000Z'),
      actions: [
        { action: ACK_ACTION, title: 'Acknowledge', navigate: 'https://sb.example.com/p/ops/events/e1' },
        { action: 'clean', title: 'Clean /tmp', navigate: 'https://sb.example.com/p/ops/events/e1?confirm=clean' },
      ],
    });
    // Without an ack path (a viewer, or an event already acknowledged) it is as before.
    expect(eventPushPayload(say, event, { slug: 'ops', name: null }, actions).actions).toEqual(actions);
    expect(withDeclarative({ ...p, kind: 'notice' }, 'https://sb.example.com').notification?.silent).toBe(true);
  });

  it('offers no reply button of a question already answered', () => {
    const actions = [action('yes', { reply: true }), action('no', { reply: true }), action('hook')];
    const decision = { key: 'yes', input: null, by: { id: 'u', email: 'a@example.com', name: '' }, at: '2026-11-28T11:00:00.000Z' };
    expect(pushActions({ actions }, 'member', NOW).map((a) => a.action)).toEqual(['yes', 'no']);
    expect(pushActions({ actions, decision }, 'member', NOW).map((a) => a.action)).toEqual(['hook']);
  });

  it('offers up to two actions that can still run and this person may press, in order', () => {
    const actions = [
      action('link', { external: true }),
      action('late', { expiresAt: '2026-11-28T11:59:59.000Z' }),
      action('busy', { state: 'running' }),
      action('once', { state: 'succeeded' }),
      action('admin', { role: 'admin' }),
      action('again', { state: 'succeeded', repeat: true }),
      action('retry', { state: 'failed' }),
      action('third'),
    ];
    expect(pushActions({ actions }, 'member', NOW)).toEqual([{ action: 'again', title: 'AGAIN' }, { action: 'retry', title: 'RETRY' }]);
    expect(pushActions({ actions }, 'admin', NOW).map((a) => a.action)).toEqual(['admin', 'again']);
    expect(pushActions({ actions }, 'viewer', NOW)).toEqual([]);
  });

  it('a button opens the event with its confirm step; the notification itself opens the event', () => {
    expect(notificationTarget('/events/e1', 'suspend')).toBe('/events/e1?confirm=suspend');
    expect(notificationTarget('/p/ops/events/e1', 'a b&c')).toBe('/p/ops/events/e1?confirm=a%20b%26c');
    expect(notificationTarget('/events/e1', '')).toBe('/events/e1');
    expect(notificationTarget('/events/e1', undefined)).toBe('/events/e1');
  });

  it('carries the buttons, and one notification per thread that counts what came', () => {
    const payload = eventPushPayload(say, event({ contextId: 'deploy-7' }), undefined, [{ action: 'rollback', title: 'Roll back' }]);
    expect(payload).toMatchObject({ actions: [{ action: 'rollback', title: 'Roll back' }], thread: 'deploy-7' });
    const first = notificationOptions(payload, '/icon.png');
    expect(first.options).toMatchObject({ tag: 'thread:deploy-7', body: 'card declined', data: { count: 1 }, actions: [{ action: 'rollback', title: 'Roll back' }] });
    const third = notificationOptions(payload, '/icon.png', 2);
    expect(third.options).toMatchObject({ tag: 'thread:deploy-7', body: '3 new in this thread · card declined', data: { count: 3 }, renotify: true });
    // Outside a thread: the event's own tag, no count, no buttons when none are offered.
    const lone = notificationOptions(eventPushPayload(say, event({})), '/icon.png', 5);
    expect(lone.options.tag).toBe('e1');
    expect(lone.options.body).toBe('card declined');
    expect(lone.options.actions).toBeUndefined();
  });

  it('a notice replaces the notification in place: what happened and by whom, no buttons, the count kept, silently', () => {
    const done = event({
      id: 'e1',
      contextId: 'deploy-7',
      actions: [
        { key: 'rollback', buttonText: 'Roll back', url: 'https://x.example/r', meta: null, external: false, expiresAt: '2030-01-01T00:00:00Z', repeat: false, type: null, role: null, risk: 'low', confirmText: null, reply: false, input: null, resolves: false, state: 'succeeded', attempts: 1,
          lastAttempt: { id: 'a', actionKey: 'rollback', number: 1, pressedBy: 'maria@example.com', startedAt: '', finishedAt: '', durationMs: 5, outcome: 'succeeded', status: 200, reason: null }, request: null },
      ],
    });
    const notice = noticePushPayload(say, done, 'action:rollback')!;
    expect(notice).toMatchObject({ kind: 'notice', id: 'e1', thread: 'deploy-7', body: '✓ Roll back: done by maria@example.com' });
    expect(notice.actions).toBeUndefined();
    const shown = notificationOptions(notice, '/icon.png', 3, ['e0', 'e1']);
    expect(shown.options).toMatchObject({ tag: 'thread:deploy-7', body: '✓ Roll back: done by maria@example.com', silent: true, data: { count: 3, events: ['e0', 'e1'] } });
    expect(shown.options.actions).toBeUndefined();
    expect(shown.options.renotify).toBeUndefined();
    expect(badgeAfterPush(4, notice)).toBe(4);
    // Nothing to say: the action has not succeeded, is gone, or the event is not handled any more.
    expect(noticePushPayload(say, event({ id: 'e2', actions: [] }), 'action:rollback')).toBeNull();
    expect(noticePushPayload(say, event({ id: 'e2', handled: null }), 'handled')).toBeNull();
    expect(noticePushPayload(say, event({ id: 'e2', handled: { by: 'ana@example.com', at: '' } }), 'handled')).toMatchObject({ body: '✓ Handled by ana@example.com' });
  });

  it('a push that comes twice (sent again after an instance stopped) is shown and counted once', () => {
    const first = eventPushPayload(say, event({ id: 'e1', contextId: 'deploy-7' }));
    const shownFirst = notificationOptions(first, '/icon.png');
    expect(shownFirst.options.data).toEqual({ url: first.url, count: 1, events: ['e1'] });
    expect(alreadyShown(first, shownFirst.options)).toBe(true);
    const second = eventPushPayload(say, event({ id: 'e2', contextId: 'deploy-7' }));
    expect(alreadyShown(second, shownFirst.options)).toBe(false);
    const shownSecond = notificationOptions(second, '/icon.png', 1, ['e1']);
    expect(shownSecond.options.data).toMatchObject({ count: 2, events: ['e1', 'e2'] });
    expect(alreadyShown(first, shownSecond.options)).toBe(true);
    // Nothing shown yet, an old notification without ids, a test push: never a repeat.
    expect(alreadyShown(first, undefined)).toBe(false);
    expect(alreadyShown(first, { data: { url: '/', count: 3 } })).toBe(false);
    expect(alreadyShown(testPushPayload(say, 1), { data: { events: ['test'] } })).toBe(false);
    // A long thread keeps the newest 50 ids.
    const many = Array.from({ length: 60 }, (_, i) => `old${i}`);
    expect((notificationOptions(second, '/icon.png', 60, many).options.data as { events: string[] }).events).toHaveLength(50);
  });
});

describe('the app badge (CONTRACT §8)', () => {
  it('counts each notified event, not a test notification, and starts again from a bad stored value', () => {
    let n = 0;
    for (let i = 0; i < 3; i++) n = badgeAfterPush(n, { kind: 'event' });
    expect(n).toBe(3);
    expect(badgeAfterPush(n, { kind: 'test' })).toBe(3);
    expect(badgeAfterPush(Number.NaN, { kind: 'event' })).toBe(1);
    expect(badgeAfterPush(-4, { kind: 'event' })).toBe(1);
  });
});
