/**
 * A signed integration's secret, set or replaced from its row: Stripe shows its signing secret only
 * once the endpoint exists, so its integration may be made first and given the secret here.
 */
import { type FormEvent, useState } from 'react';
import { type IntegrationDto, SIGNING_SECRET_MAX } from '../../../contract/integrations.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { fieldError } from '../../lib/api.ts';
import { useSetIntegrationSecret } from './integrationsApi.ts';
import { sourceLabel } from './sources.ts';

export function IntegrationSecret({ integration: it, onDone }: { integration: IntegrationDto; onDone: (message: string) => void }) {
  const set = useSetIntegrationSecret();
  const [secret, setSecret] = useState('');
  const source = sourceLabel(it.source);
  const error = fieldError(set.error, 'secret');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ id: it.id, secret }, { onSuccess: () => onDone(t('settings.integrations.secretSaved', { source })) });
  };
  return (
    <form onSubmit={submit} className="flex w-full flex-wrap items-start gap-2">
      <div className="min-w-48 flex-1">
        <TextField
          label={t('settings.integrations.secretFor', { source })}
          required
          autoFocus
          autoComplete="off"
          dir="ltr"
          spellCheck={false}
          maxLength={SIGNING_SECRET_MAX}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          hint={t(it.secretSet ? 'settings.integrations.replaceHint' : 'settings.integrations.setHint')}
          error={error}
        />
      </div>
      <div className="flex gap-2 sm:mt-6">
        <Button type="submit" tone="primary" disabled={set.isPending}>
          {set.isPending ? t('settings.common.saving') : t('settings.integrations.saveSecret')}
        </Button>
        <Button type="button" onClick={() => onDone('')}>
          {t('settings.common.cancel')}
        </Button>
      </div>
      {set.error && !error && <Alert>{set.error.message}</Alert>}
    </form>
  );
}
