import type { EventDetail } from '../../../contract/api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link, useLocation } from '../../lib/router.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { useProjectSlug } from '../projects/current.ts';
import { feedHref } from './links.ts';
import { t } from '../../i18n/i18n.ts';

const linkClass = 'font-medium text-sky-800 underline underline-offset-2 hover:no-underline dark:text-sky-300';

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] items-baseline gap-2 py-1.5">
      <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** Every field an event came with, its time to the second, and where it came from. */
export function EventDetails({ detail }: { detail: EventDetail }) {
  const { event, sentBy } = detail;
  const now = useNow();
  const slug = useProjectSlug();
  const { search } = useLocation();
  const at = Date.parse(event.createdAt);
  return (
    <section aria-labelledby="details-title" className="rounded-xl border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="details-title" className="text-base font-semibold">
        {t('feed.details.title')}
      </h2>
      <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        <Row term={t('feed.details.time')}>
          <time dateTime={event.createdAt}>{absoluteTime(at)}</time>{' '}
          <span className="text-slate-600 dark:text-slate-400">({relativeTime(at, now)})</span>
        </Row>
        <Row term={t('feed.details.id')}>
          <span className="flex items-center gap-1">
            <code dir="ltr" className="min-w-0 break-all font-mono text-xs">{event.id}</code>
            <CopyButton text={event.id} what={t('feed.details.idWhat')} />
          </span>
        </Row>
        <Row term={t('feed.category')}>
          {event.category ? (
            <Link href={feedHref(slug, search, { category: event.category, q: null, user: null })} className={linkClass} aria-label={t('feed.details.categoryLink', { category: event.category })}>
              {event.category}
            </Link>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t('feed.details.none')}</span>
          )}
        </Row>
        <Row term={t('feed.details.user')}>
          {event.userId ? (
            <Link href={feedHref(slug, search, { user: event.userId, q: null, category: null })} className={linkClass} aria-label={t('feed.details.userLink', { user: event.userId })}>
              {event.userId}
            </Link>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t('feed.details.none')}</span>
          )}
        </Row>
        <Row term={t('feed.details.context')}>
          {event.contextId ? (
            <span>
              <code dir="ltr" className="break-all font-mono text-xs">{event.contextId}</code>
              {' '}
              {event.contextStart ? t('feed.details.opensThread') : event.parentId ? t('feed.details.inThread') : t('feed.details.notStarted')}
            </span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t('feed.details.none')}</span>
          )}
        </Row>
        {event.dedupKey && (
          <Row term={t('feed.details.dedupKey')}>
            <span>
              <code dir="ltr" className="break-all font-mono text-xs">{event.dedupKey}</code>
              <span className="text-slate-600 dark:text-slate-400">
                {' '}
                {t('feed.details.dedup', { count: event.count, when: relativeTime(Date.parse(event.lastSeenAt), now) })}
              </span>
            </span>
          </Row>
        )}
        <Row term={t('feed.details.sentBy')}>
          {sentBy ? (
            <span>
              {t('feed.details.apiKey', { name: sentBy.name })}
              {sentBy.revoked && <span className="text-slate-600 dark:text-slate-400"> {t('feed.details.revoked')}</span>}
            </span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t('feed.details.noKey')}</span>
          )}
        </Row>
        <Row term={t('feed.details.mode')}>
          {event.test
            ? t('feed.details.modeTest')
            : event.notify
              ? detail.pushedTo > 0
                ? t('feed.details.modeSent', { count: detail.pushedTo })
                : t('feed.details.modePushed')
              : t('feed.details.modeOff')}
        </Row>
      </dl>
    </section>
  );
}
