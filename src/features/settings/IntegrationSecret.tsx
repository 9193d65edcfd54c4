/**
 * A signed integration's secret, set or replaced from its row: Stripe shows its signing secret only
 * once the endpoint exists, so its integration may be made first and given the secret here.
 */
import { type FormEvent, useState } from 'react';
import { type IntegrationDto, SIGNING_SECRET_MAX, SOURCE_INFO } from '../../../contract/integrations.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { fieldError } from '../../lib/api.ts';
import { useSetIntegrationSecret } from './integrationsApi.ts';

export function IntegrationSecret({ integration: it, onDone }: { integration: IntegrationDto; onDone: (message: string) => void }) {
  const set = useSetIntegrationSecret();
  const [secret, setSecret] = useState('');
  const { label } = SOURCE_INFO[it.source];
  const error = fieldError(set.error, 'secret');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ id: it.id, secret }, { onSuccess: () => onDone(`${label} signing secret saved`) });
  };
  return (
    <form onSubmit={submit} className="flex w-full flex-wrap items-start gap-2">
      <div className="min-w-48 flex-1">
        <TextField
          label={`Signing secret for ${label}`}
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={SIGNING_SECRET_MAX}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          hint={it.secretSet ? 'Replaces the current one: deliveries signed with the old secret are refused from now on.' : 'As the sender shows it (Stripe: the endpoint’s “Signing secret”, whsec_…).'}
          error={error}
        />
      </div>
      <div className="flex gap-2 sm:mt-6">
        <Button type="submit" tone="primary" disabled={set.isPending}>
          {set.isPending ? 'Saving…' : 'Save secret'}
        </Button>
        <Button type="button" onClick={() => onDone('')}>
          Cancel
        </Button>
      </div>
      {set.error && !error && <Alert>{set.error.message}</Alert>}
    </form>
  );
}
