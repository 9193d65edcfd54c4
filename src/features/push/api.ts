import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PushDeviceDto, PushPublicKey, PushSubscriptionBody, PushSubscriptionSaved, PushTestQueued } from '../../../contract/pushApi.ts';
import { api } from '../../lib/api.ts';
import { deviceName } from '../../lib/device.ts';
import { t } from '../../i18n/i18n.ts';
import type { Locale } from '../../../contract/locales.ts';
import { currentLocale, PSEUDO, PUSH_LOCALE_KEY } from '../../i18n/locale.ts';

export const pushKeys = { devices: ['push', 'devices'] as const };

/** Which of the listed devices is this one (the server never hands endpoints back). */
const THIS_DEVICE = 'switchboard.pushDeviceId';
export const thisDeviceId = () => localStorage.getItem(THIS_DEVICE);

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function save(subscription: PushSubscription, oldEndpoint?: string): Promise<void> {
  const json = subscription.toJSON();
  const body: PushSubscriptionBody = {
    endpoint: json.endpoint ?? subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    deviceName: deviceName(navigator.userAgent),
    oldEndpoint,
    locale: pushLocale(),
  };
  const saved = await api<PushSubscriptionSaved>('/api/push/subscriptions', { method: 'PUT', json: body });
  localStorage.setItem(THIS_DEVICE, saved.id);
  localStorage.setItem(PUSH_LOCALE_KEY, body.locale ?? '');
}

/** The app's language for pushes (the pseudo-locale's are English). */
const pushLocale = (): Locale => {
  const locale = currentLocale();
  return locale === PSEUDO ? 'en' : locale;
};

/** Saves this device's subscription again when the app's language changed since: its pushes follow. */
export async function syncPushLanguage(): Promise<void> {
  if (!pushSupported() || thisDeviceId() === null || localStorage.getItem(PUSH_LOCALE_KEY) === pushLocale()) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) await save(subscription);
}

/**
 * The browser's refusal in words a person can act on (Chromium says `Registration failed - permission
 * denied` for a private window or a blocked site, `push service error` when its push service is out of reach).
 * These sentences also show in the first-run checklist: they are `core` texts, loaded before the first render.
 */
export function explainPushFailure(error: unknown): Error {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NotAllowedError' || /permission denied/i.test(message)) {
    return new Error(t('core.push.refused'));
  }
  if (name === 'AbortError' || /push service/i.test(message)) {
    return new Error(t('core.push.unreachable'));
  }
  return new Error(t('core.push.failed', { error: message }));
}

/** Asks for permission (only ever from a tap), subscribes this browser and registers it. */
export async function enablePush(): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new Error(t('core.push.blocked'));
  }
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await api<PushPublicKey>('/api/push/public-key');
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }).catch((error: unknown) => {
    throw explainPushFailure(error);
  });
  await save(subscription);
}

/** Each time the app opens: tell the server this device is still here (and its current subscription). */
export async function resyncPush(): Promise<void> {
  if (!pushSupported() || Notification.permission !== 'granted') return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) await save(subscription);
}

export function useDevices() {
  return useQuery({ queryKey: pushKeys.devices, queryFn: () => api<PushDeviceDto[]>('/api/push/subscriptions') });
}

export function useEnablePush() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: enablePush, onSuccess: () => qc.invalidateQueries({ queryKey: pushKeys.devices }) });
}

async function unsubscribeHere(): Promise<void> {
  localStorage.removeItem(THIS_DEVICE);
  const registration = await navigator.serviceWorker?.getRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}

/**
 * On sign-out: this device stops receiving the account's notifications. The server forgets it now if it
 * can be reached; otherwise the push service refuses the dropped subscription and the server prunes it.
 */
export async function forgetPushOnThisDevice(): Promise<void> {
  const id = thisDeviceId();
  if (id) await api<void>(`/api/push/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(() => undefined);
  await unsubscribeHere().catch(() => undefined);
}

export function useRemoveDevice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api<void>(`/api/push/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (id === thisDeviceId()) await unsubscribeHere();
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: pushKeys.devices }),
  });
}

export function useSendTestPush() {
  return useMutation({ mutationFn: () => api<PushTestQueued>('/api/push/test', { method: 'POST' }) });
}
