/**
 * Stripe webhook endpoints (docs.stripe.com/api/events/object): each delivery is one Event
 * `{id, object: "event", type, data: {object, previous_attributes}, livemode, created}`. Failed payments,
 * disputes, payouts and subscriptions have their own wording; any other type is summarised.
 */
import type { HookDelivery, MappedEvent } from '../types.ts';
import { arr, dedupKey, type EventSpec, event, isObj, link, type Obj, obj, str } from './common.ts';

/** €42.00 from 4200 and "eur", with the currency's own number of decimals (¥500 from 500 "jpy"). */
export function money(amount: unknown, currency: unknown): string | undefined {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return undefined;
  const code = str(currency)?.toUpperCase();
  if (code === undefined) return String(amount);
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    // Stripe sends ISK in hundredths although it has no minor unit (docs.stripe.com/currencies#special-cases).
    const digits = code === 'ISK' ? 2 : (format.resolvedOptions().maximumFractionDigits ?? 2);
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${code.slice(0, 8)}`;
  }
}

/** Dashboard paths by the object's `object` field. */
const PATHS: Record<string, string> = {
  charge: 'payments',
  payment_intent: 'payments',
  invoice: 'invoices',
  dispute: 'disputes',
  payout: 'payouts',
  subscription: 'subscriptions',
  customer: 'customers',
  refund: 'refunds',
  product: 'products',
  'checkout.session': 'checkout/sessions',
};

function dashboard(live: boolean, kind: string, id: string | undefined): string | undefined {
  if (!Object.hasOwn(PATHS, kind) || !id || !/^[\w-]+$/.test(id)) return undefined;
  return `https://dashboard.stripe.com/${live ? '' : 'test/'}${PATHS[kind]}/${id}`;
}

const customerOf = (o: Obj) => str(o.customer) ?? str(obj(o.customer).id);

function email(o: Obj): string | undefined {
  const error = obj(o.last_payment_error);
  return (
    str(o.customer_email) ??
    str(o.receipt_email) ??
    str(obj(o.billing_details).email) ??
    str(obj(obj(error.payment_method).billing_details).email) ??
    str(obj(o.customer).email) ??
    str(o.email)
  );
}

type Spec = (o: Obj, type: string) => Partial<EventSpec> & { kind: string };
const failed = (kind: string): Spec => (o) => ({
  kind,
  name: `Payment failed: ${money(o.amount_due ?? o.amount, o.currency) ?? 'unknown amount'}${email(o) ? ` — ${email(o)}` : ''}`,
  avatar: '❌',
  notify: true,
  // A charge's failure and its payment intent's are one card.
  dedupKey: dedupKey('stripe', kind === 'charge' && str(o.payment_intent) ? 'payment_intent' : kind, str(o.payment_intent) ?? str(o.id)),
});
const succeeded = (kind: string): Spec => (o) => ({
  kind,
  name: `Payment succeeded: ${money(o.amount_paid ?? o.amount, o.currency) ?? 'unknown amount'}${email(o) ? ` — ${email(o)}` : ''}`,
  avatar: '✅',
  notify: false,
  resolved: true,
  dedupKey: dedupKey('stripe', kind, str(o.id)),
});
const dispute: Spec = (o, type) => {
  const closed = type === 'charge.dispute.closed';
  const created = type === 'charge.dispute.created';
  const what = closed ? `closed (${str(o.status) ?? 'closed'})` : created ? 'opened' : 'updated';
  return {
    kind: 'dispute',
    name: `Dispute ${what}: ${money(o.amount, o.currency) ?? 'unknown amount'}${str(o.reason) ? ` — ${str(o.reason)}` : ''}`,
    avatar: closed ? '✅' : '⚠️',
    notify: created,
    urgent: created,
    resolved: closed,
    dedupKey: dedupKey('stripe', 'dispute', str(o.id)),
  };
};
const payout: Spec = (o, type) => {
  const bad = type === 'payout.failed';
  return {
    kind: 'payout',
    name: `Payout ${type.slice('payout.'.length)}: ${money(o.amount, o.currency) ?? 'unknown amount'}`,
    avatar: bad ? '❌' : '🏦',
    notify: bad,
    dedupKey: dedupKey('stripe', 'payout', str(o.id)),
  };
};
const subscription: Spec = (o, type) => {
  const price = obj(obj(arr(obj(o.items).data)[0]).price);
  const interval = str(obj(price.recurring).interval);
  const amount = money(price.unit_amount, price.currency);
  const what = { created: 'started', updated: 'updated', deleted: 'canceled' }[type.split('.').pop() ?? ''] ?? 'changed';
  return {
    kind: 'subscription',
    name: `Subscription ${what}${amount ? `: ${amount}${interval ? `/${interval}` : ''}` : ''}${customerOf(o) ? ` — ${email(o) ?? customerOf(o)}` : ''}`,
    avatar: what === 'canceled' ? '👋' : '🔁',
    notify: false,
  };
};

const SPECS: Record<string, Spec> = {
  'invoice.payment_failed': failed('invoice'),
  'invoice.paid': succeeded('invoice'),
  'payment_intent.payment_failed': failed('payment_intent'),
  'payment_intent.succeeded': succeeded('payment_intent'),
  'charge.failed': failed('charge'),
  'charge.dispute.created': dispute,
  'charge.dispute.updated': dispute,
  'charge.dispute.closed': dispute,
  'payout.paid': payout,
  'payout.failed': payout,
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': subscription,
};

export function mapStripe(delivery: HookDelivery): MappedEvent[] {
  const body = obj(delivery.body);
  const type = str(body.type);
  const o = obj(obj(body.data).object);
  if (type === undefined || !isObj(obj(body.data).object)) return [];
  const live = body.livemode === true;
  const spec = Object.hasOwn(SPECS, type) ? SPECS[type]!(o, type) : { kind: str(o.object) ?? '', name: `${type}: ${str(o.id) ?? ''}` };
  const id = spec.kind === 'payment_intent' || spec.kind === 'charge' ? (str(o.payment_intent) ?? str(o.id)) : str(o.id);
  const error = obj(o.last_payment_error);
  const reason = str(error.message) ?? str(o.failure_message) ?? str(obj(o.outcome).seller_message) ?? str(o.reason);
  return [
    event('stripe', {
      name: spec.name ?? type,
      avatar: spec.avatar,
      notify: spec.notify ?? false,
      urgent: spec.urgent,
      resolved: spec.resolved,
      dedupKey: spec.dedupKey,
      rows: [
        ['Amount', money(o.amount_due ?? o.amount, o.currency)],
        ['Customer', email(o)],
        ['Customer id', customerOf(o)],
        ['Reason', reason],
        ['Decline code', str(error.decline_code) ?? str(o.failure_code)],
        ['Status', str(o.status)],
        ['Attempts', typeof o.attempt_count === 'number' ? o.attempt_count : undefined],
        ['Event', `${type} (${str(body.id) ?? 'no id'})`],
        ['Mode', live ? 'live' : 'test'],
      ],
      actions: [
        link('Open in Stripe', dashboard(live, spec.kind, id)),
        link('Open invoice', o.hosted_invoice_url),
        link('Open customer', dashboard(live, 'customer', customerOf(o))),
      ],
    }),
  ];
}
