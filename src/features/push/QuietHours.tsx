/**
 * Settings → Notifications → Quiet hours (§12): from, to, in this person's time zone. Pushes wait
 * until the hours end, except urgent events and escalations (the server holds them).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { QuietHours as Hours } from '../../../contract/quietHours.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { api } from '../../lib/api.ts';

const KEY = ['account', 'quiet-hours'] as const;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
/** Every zone the browser knows (a few hundred), this one first. */
function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [current, ...all.filter((z) => z !== current)];
}

export function QuietHours() {
  const client = useQueryClient();
  const read = useQuery({ queryKey: KEY, queryFn: () => api<{ quietHours: Hours | null }>('/api/account/quiet-hours') });
  const save = useMutation({
    mutationFn: (quietHours: Hours | null) => api<{ quietHours: Hours | null }>('/api/account/quiet-hours', { method: 'PUT', json: { quietHours } }),
    onSuccess: (answer) => client.setQueryData(KEY, answer),
  });
  const stored = read.data?.quietHours ?? null;
  const [on, setOn] = useState(false);
  const [from, setFrom] = useState('22:00');
  const [to, setTo] = useState('07:00');
  const [zone, setZone] = useState(browserZone);
  useEffect(() => {
    setOn(stored !== null);
    if (stored) {
      setFrom(stored.from);
      setTo(stored.to);
      setZone(stored.timeZone);
    }
  }, [stored]);
  const zoneId = useId();
  const same = on && from === to;
  const changed = on !== (stored !== null) || (on && stored !== null && (stored.from !== from || stored.to !== to || stored.timeZone !== zone));

  return (
    <fieldset className="flex flex-col gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
      <legend className="sr-only">{t('settings.quiet.title')}</legend>
      <div>
        <h3 className="font-semibold">{t('settings.quiet.title')}</h3>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('settings.quiet.intro')}
        </p>
      </div>
      <label className="flex min-h-11 items-center gap-3">
        <input type="checkbox" className="size-5" checked={on} onChange={(e) => setOn(e.target.checked)} />
        <span>{t('settings.quiet.hold')}</span>
      </label>
      {on && (
        <div className="flex flex-wrap items-end gap-3">
          <TextField label={t('settings.quiet.from')} type="time" value={from} onChange={(e) => setFrom(e.target.value)} required />
          <TextField label={t('settings.quiet.to')} type="time" value={to} onChange={(e) => setTo(e.target.value)} required error={same ? t('settings.quiet.same') : null} />
          <div className="flex flex-col gap-1">
            <label htmlFor={zoneId} className="text-sm font-medium">
              {t('settings.quiet.zone')}
            </label>
            <select
              id={zoneId}
              value={zone}
              onChange={(e) => setZone(e.target.value)}
              className="min-h-11 max-w-64 rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-700 dark:bg-slate-900"
            >
              {zones(zone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button tone="primary" className="w-fit" disabled={!changed || same || save.isPending} onClick={() => save.mutate(on ? { from, to, timeZone: zone } : null)}>
          {save.isPending ? t('settings.common.saving') : t('settings.quiet.save')}
        </Button>
        <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {save.isSuccess && !changed ? (stored ? t('settings.quiet.saved', { from: stored.from, to: stored.to, zone: stored.timeZone }) : t('settings.quiet.none')) : ''}
        </span>
      </div>
      {(read.error || save.error) && <Alert>{(save.error ?? read.error)?.message}</Alert>}
    </fieldset>
  );
}
