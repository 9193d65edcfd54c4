/**
 * Settings → Account → `Language` (CONTRACT §14): the browser's languages, or one chosen for the
 * account (remembered by the server, so every device of the person shows it). Each language is named
 * in itself, tagged with its `lang` for screen readers. A change redraws the app in it at once, and
 * this device's pushes follow.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { AuthStatus, Me } from '../../../contract/api.ts';
import { isLocale, type Locale, LOCALE_NAMES, LOCALES } from '../../../contract/locales.ts';
import { Alert } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { authKeys } from '../auth/api.ts';
import { activate, browserLocale, storeLocale, t } from '../../i18n/i18n.ts';

export function LanguageField({ chosen }: { chosen: Locale | null }) {
  const id = useId();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (locale: Locale | null) => api<Me>('/api/account', { method: 'PATCH', json: { locale } }),
    onSuccess: async (user) => {
      qc.setQueryData<AuthStatus>(authKeys.status, (old) => (old ? { ...old, user } : old));
      storeLocale(user.locale);
      await activate(user.locale ?? browserLocale());
      void import('../push/api.ts').then((m) => m.syncPushLanguage()).catch(() => undefined);
    },
  });
  const browser = browserLocale();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {t('settings.language.label')}
      </label>
      <select
        id={id}
        className="min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-base dark:border-slate-700 dark:bg-slate-900"
        value={chosen ?? ''}
        disabled={save.isPending}
        onChange={(e) => save.mutate(isLocale(e.target.value) ? e.target.value : null)}
      >
        <option value="">{t('settings.language.browser', { language: LOCALE_NAMES[browser] })}</option>
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LOCALE_NAMES[locale]}
          </option>
        ))}
      </select>
      {save.error && <Alert>{save.error.message}</Alert>}
    </div>
  );
}
