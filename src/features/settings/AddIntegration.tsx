/** Add integration: a source, and for GitHub and Stripe the signing secret their deliveries carry. */
import { type FormEvent, useId, useState } from 'react';
import {
  type CreatedIntegration,
  INTEGRATION_SOURCES,
  type IntegrationSource,
  SECRET_LATER,
  SIGNED_SOURCES,
  SIGNING_SECRET_MAX,
} from '../../../contract/integrations.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { fieldError } from '../../lib/api.ts';
import { useCreateIntegration } from './integrationsApi.ts';
import { sourceLabel } from './sources.ts';

/** Where the sender shows its signing secret. */
const SECRET_HELP: Partial<Record<IntegrationSource, () => string>> = {
  github: () => t('settings.integrations.helpGithub'),
  stripe: () => t('settings.integrations.helpStripe'),
};

export function AddIntegration({ onCreated }: { onCreated: (created: CreatedIntegration) => void }) {
  const create = useCreateIntegration();
  const [source, setSource] = useState<IntegrationSource>(INTEGRATION_SOURCES[0]);
  const [secret, setSecret] = useState('');
  const sourceId = useId();
  const signed = SIGNED_SOURCES.includes(source);
  const sourceError = fieldError(create.error, 'source');
  const secretError = signed ? fieldError(create.error, 'secret') : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Stripe's secret may come later (SECRET_LATER); an empty one is then simply not sent.
    create.mutate(signed && (secret !== '' || !SECRET_LATER.includes(source)) ? { source, secret } : { source }, {
      onSuccess: (created) => {
        setSecret('');
        onCreated(created);
      },
    });
  };
  return (
    <form onSubmit={submit} aria-label={t('settings.integrations.add')} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-2">
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <label htmlFor={sourceId} className="text-sm font-medium">
            {t('settings.integrations.source')}
          </label>
          <select
            id={sourceId}
            value={source}
            aria-invalid={sourceError ? true : undefined}
            aria-describedby={sourceError ? `${sourceId}-error` : undefined}
            onChange={(e) => {
              setSource(e.target.value as IntegrationSource);
              create.reset();
            }}
            className="min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-base dark:border-slate-700 dark:bg-slate-900"
          >
            {INTEGRATION_SOURCES.map((s) => (
              <option key={s} value={s}>
                {sourceLabel(s)}
              </option>
            ))}
          </select>
          {sourceError && (
            <p id={`${sourceId}-error`} className="text-sm text-red-700 dark:text-red-400">
              {sourceError}
            </p>
          )}
        </div>
        {signed && (
          <div className="min-w-48 flex-1">
            <TextField
              label={t('settings.integrations.signingSecret')}
              required={!SECRET_LATER.includes(source)}
              autoComplete="off"
              dir="ltr"
              spellCheck={false}
              maxLength={SIGNING_SECRET_MAX}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              hint={SECRET_HELP[source]?.()}
              error={secretError}
            />
          </div>
        )}
        {/* Level with the fields (below their labels) when it fits beside them. */}
        <Button type="submit" tone="primary" className="sm:mt-6" disabled={create.isPending}>
          {create.isPending ? t('settings.integrations.adding') : t('settings.integrations.add')}
        </Button>
      </div>
      {create.error && !sourceError && !secretError && <Alert>{create.error.message}</Alert>}
    </form>
  );
}
