/**
 * Settings → Policy: what a press requires per risk level (Low, High, Critical: step-up minutes,
 * approvals, delay seconds) and the freeze of high and critical presses. Admins edit the table and
 * save it (the server checks each value and names a wrong one; it is shown at its input); the freeze
 * switch acts at once. Members and viewers see the same values, read-only.
 */
import { type FormEvent, useId, useState } from 'react';
import { DEFAULT_RULES, POLICY_LIMITS, type Policy, type PolicyChange, RISKS, type Risk, type RiskRule } from '../../../contract/policy.ts';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { intlLocale, t } from '../../i18n/i18n.ts';
import { ApiFailure } from '../../lib/api.ts';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { rich } from '../../i18n/rich.tsx';
import { usePolicy } from './api.ts';
import { useChangePolicy } from './change.ts';
import { RULE_FIELDS, ruleShort } from './words.ts';
import { RISK_LABEL } from './risk.ts';

type FieldName = `${Risk}.${keyof RiskRule}`;
type Edits = Partial<Record<FieldName, string>>;

/** 0 to POLICY_LIMITS.approvals (2). */
const APPROVALS = Array.from({ length: POLICY_LIMITS.approvals + 1 }, (_, n) => n);

const input =
  'min-h-11 w-full min-w-0 max-w-24 rounded-lg border bg-white px-2 text-base tabular-nums dark:bg-slate-950 aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600 dark:aria-invalid:border-red-400 dark:aria-invalid:ring-red-400';
const inputTone = 'border-slate-300 dark:border-slate-700';

/** What the person typed, for the server: a whole number as a number, anything else as typed (the server says what is wrong). */
const typed = (value: string): number | string => (/^\s*\d+\s*$/.test(value) ? Number(value) : value);

/** The edits that differ from the saved policy, as a change (only what changed is sent). */
function changeOf(policy: Policy, edits: Edits): PolicyChange {
  const change: Record<string, Record<string, number | string>> = {};
  for (const [name, value] of Object.entries(edits) as [FieldName, string][]) {
    const [risk, key] = name.split('.') as [Risk, keyof RiskRule];
    if (String(policy[risk][key]) === value.trim()) continue;
    change[risk] = { ...change[risk], [key]: typed(value) };
  }
  return change as PolicyChange;
}

function When({ iso }: { iso: string }) {
  const now = useNow();
  const at = Date.parse(iso);
  return (
    <time dateTime={iso} title={absoluteTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}

/** The freeze: a switch for admins (it acts at once), a sentence for everyone else. */
function Freeze({ slug, policy, admin }: { slug: string; policy: Policy; admin: boolean }) {
  const change = useChangePolicy(slug);
  const id = useId();
  // What the admin chose shows at once (the switch does not spring back while the server answers).
  const [wanted, setWanted] = useState<boolean | null>(null);
  const on = wanted ?? policy.freeze;
  const who = policy.frozen ? (
    <>
      {' '}
      {rich('settings.policy.frozenBy', { email: <span dir="ltr">{policy.frozen.by.email}</span>, when: <When iso={policy.frozen.at} /> })}
    </>
  ) : null;
  if (!admin) {
    return (
      <p className="text-sm">
        <span className="font-medium">{policy.freeze ? t('settings.policy.frozen') : t('settings.policy.notFrozen')}</span>{' '}
        <span className="text-slate-600 dark:text-slate-400">
          {t('settings.policy.whileFrozen')}
          {who}
        </span>
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-0.5">
      <label className="flex min-h-11 w-fit items-center gap-3 text-sm font-medium">
        <input
          type="checkbox"
          role="switch"
          aria-checked={on}
          aria-describedby={`${id}-freeze`}
          checked={on}
          disabled={change.isPending}
          onChange={(e) => {
            setWanted(e.target.checked);
            change.mutate({ freeze: e.target.checked }, { onSettled: () => setWanted(null) });
          }}
          className="relative h-6 w-11 shrink-0 cursor-pointer appearance-none rounded-full bg-slate-500 transition-colors before:absolute before:start-0.5 before:top-0.5 before:size-5 before:rounded-full before:bg-white before:shadow before:transition-transform checked:bg-amber-600 checked:before:translate-x-5 rtl:checked:before:-translate-x-5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-wait disabled:opacity-70 dark:checked:bg-amber-500 dark:focus-visible:outline-sky-400"
        />
        {t('settings.policy.freeze')}
      </label>
      <p id={`${id}-freeze`} className="text-sm text-slate-600 dark:text-slate-400">
        {t('settings.policy.freezeText')}
        {who}
      </p>
      {change.error && <Alert>{change.error.message}</Alert>}
    </div>
  );
}

export function PolicySettings({ slug, admin }: { slug: string; admin: boolean }) {
  const policy = usePolicy(slug, { watch: true });
  const save = useChangePolicy(slug);
  const [edits, setEdits] = useState<Edits>({});
  const [saved, setSaved] = useState<string | null>(null);
  const id = useId();
  const data = policy.data;
  const failure = save.error instanceof ApiFailure ? save.error : null;
  const badField = failure?.field ?? null;
  const errorId = `${id}-error`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!data || save.isPending) return;
    const change = changeOf(data, edits);
    if (Object.keys(change).length === 0) {
      save.reset();
      setSaved(t('settings.policy.nothingChanged'));
      return;
    }
    setSaved(null);
    save.mutate(change, {
      onSuccess: () => {
        setEdits({});
        setSaved(t('settings.policy.saved'));
      },
    });
  };
  const edit = (name: FieldName, value: string) => {
    setSaved(null);
    setEdits((old) => ({ ...old, [name]: value }));
  };

  const fieldLabel = (risk: Risk, f: (typeof RULE_FIELDS)[number]) => t('settings.policy.fieldLabel', { risk: RISK_LABEL[risk], field: f.spoken });
  const badLabel = (() => {
    if (!badField) return null;
    const [risk, key] = badField.split('.') as [Risk, keyof RiskRule | undefined];
    const f = RULE_FIELDS.find((x) => x.key === key);
    return RISKS.includes(risk) && f ? fieldLabel(risk, f) : null;
  })();

  return (
    <section aria-labelledby="policy">
      <Card className="flex flex-col gap-3">
        <div>
          <h2 id="policy" className="text-lg font-semibold">
            {t('settings.policy.title')}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {rich('settings.policy.intro', { risk: <code dir="ltr">risk</code>, danger: <code dir="ltr">danger</code>, high: RISK_LABEL.high })}
          </p>
        </div>
        {policy.isError && <Alert>{t('settings.policy.loadFailed', { error: policy.error.message })}</Alert>}
        {policy.isPending ? (
          <p className="text-sm text-slate-500" aria-live="polite">
            {t('settings.policy.loading')}
          </p>
        ) : data ? (
          <form noValidate onSubmit={submit} className="flex flex-col gap-3">
            <table className="w-full max-w-lg table-fixed border-collapse text-sm">
              <caption className="sr-only">{t('settings.policy.caption')}</caption>
              <thead>
                <tr className="text-start text-xs text-slate-600 dark:text-slate-400">
                  <th scope="col" className="w-[22%] pb-1 pe-2 font-medium">
                    {t('settings.policy.risk')}
                  </th>
                  {RULE_FIELDS.map((f) => (
                    <th key={f.key} scope="col" className="pb-1 pe-2 font-medium">
                      {f.heading}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {RISKS.map((risk) => (
                  <tr key={risk} className="border-t border-slate-100 dark:border-slate-800">
                    <th scope="row" className="py-1.5 pe-2 text-start font-medium">
                      {RISK_LABEL[risk]}
                    </th>
                    {RULE_FIELDS.map((f) => {
                      const name: FieldName = `${risk}.${f.key}`;
                      const value = edits[name] ?? String(data[risk][f.key]);
                      const bad = badField === name;
                      const common = {
                        'aria-label': fieldLabel(risk, f),
                        'aria-invalid': bad || undefined,
                        'aria-describedby': bad ? errorId : undefined,
                        value,
                        className: `${input} ${inputTone}`,
                      };
                      return (
                        <td key={f.key} className="py-1.5 pe-2 tabular-nums">
                          {!admin ? (
                            data[risk][f.key]
                          ) : f.key === 'approvals' ? (
                            <select {...common} onChange={(e) => edit(name, e.target.value)}>
                              {APPROVALS.map((n) => (
                                <option key={n} value={String(n)}>
                                  {n}
                                </option>
                              ))}
                            </select>
                          ) : (
                            <input
                              {...common}
                              type="number"
                              inputMode="numeric"
                              min={0}
                              max={POLICY_LIMITS[f.key]}
                              step={1}
                              onChange={(e) => edit(name, e.target.value)}
                            />
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            {failure && badLabel ? (
              <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
                {badLabel} {failure.message.startsWith(`${badField} `) ? failure.message.slice(badField!.length + 1) : failure.message}.
              </p>
            ) : (
              save.error && <Alert>{save.error.message}</Alert>
            )}
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {t('settings.policy.defaults', {
                defaults: new Intl.ListFormat(intlLocale(), { type: 'unit', style: 'short' }).format(RISKS.map((r) => `${RISK_LABEL[r]} ${ruleShort(DEFAULT_RULES[r])}`)),
              })}{' '}
              {t('settings.policy.approvalsNote')}
            </p>
            {admin ? (
              <div className="flex flex-wrap items-center gap-3">
                <Button type="submit" tone="primary" disabled={save.isPending}>
                  {save.isPending ? t('settings.common.saving') : t('settings.common.save')}
                </Button>
                <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
                  {saved}
                </p>
              </div>
            ) : (
              <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('settings.policy.adminsOnly')}</p>
            )}
            <div className="border-t border-slate-100 pt-3 dark:border-slate-800">
              <Freeze slug={slug} policy={data} admin={admin} />
            </div>
            {data.updatedAt && data.updatedBy && (
              <p className="text-xs text-slate-600 dark:text-slate-400">
                {rich('settings.policy.lastChanged', { who: data.updatedBy, when: <When iso={data.updatedAt} /> })}
              </p>
            )}
          </form>
        ) : null}
      </Card>
    </section>
  );
}
