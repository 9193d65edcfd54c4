import { useEffect, useRef, useState } from 'react';
import { eventTitle } from './present.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Alert, Button } from '../../components/ui.tsx';
import { Link } from '../../lib/router.tsx';
import { AttemptHistory } from '../actions/AttemptHistory.tsx';
import { AnswerSection } from '../decisions/Answer.tsx';
import { ApprovalPanel } from '../requests/ApprovalPanel.tsx';
import { useProjectSlug } from '../projects/current.ts';
import { useEvent } from './api.ts';
import { DeleteEvent } from './DeleteEvent.tsx';
import { EventCard } from './EventCard.tsx';
import { TriageBar } from './triage/TriageBar.tsx';
import { Timeline } from './triage/Timeline.tsx';
import { EventDetails } from './EventDetails.tsx';
import { eventHref } from './links.ts';
import { useFeedLinks } from './useFeedLinks.ts';
import { t } from '../../i18n/i18n.ts';

/** Web Share where the platform has it (phones): the system sheet with the event's link. */
function ShareButton({ title, url }: { title: string; url: string }) {
  if (typeof navigator.share !== 'function') return null;
  return (
    <Button onClick={() => void navigator.share({ title, url }).catch(() => undefined)}>
      {t('feed.page.share')}
    </Button>
  );
}

/**
 * /events/:id — one event with every field, its state and who works on it (§12), its question's
 * answer, its timeline and notes, its thread and its attempts; where a notification lands.
 * `pane`: shown beside the feed (from 1024 px), as a region named by the event.
 */
export function EventPage({ id, pane = false }: { id: string; pane?: boolean }) {
  const slug = useProjectSlug();
  const links = useFeedLinks();
  const detail = useEvent(id);
  // `?confirm=<key>`: a notification's button, read once (the button takes it out of the URL).
  const [confirmKey] = useState(() => new URLSearchParams(location.search).get('confirm'));
  // `?approve=<request id>`: a push asked this person to approve a press.
  const [approveId] = useState(() => new URLSearchParams(location.search).get('approve'));
  const title = detail.data ? eventTitle(detail.data.event) : t('feed.page.event');
  const link = `${location.origin}${eventHref(slug, id, new URLSearchParams())}`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Beside the feed (whose heading is the page's h1) it is a section of the page.
  const Heading = pane ? 'h2' : 'h1';
  // Opened beside the feed (one pane per event: it is keyed by id), focus moves to it, so a screen reader reads what opened.
  useEffect(() => {
    if (pane) headingRef.current?.focus({ preventScroll: true });
  }, [pane]);
  return (
    <section aria-label={title} className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <Link
          href={links.feed()}
          scroll={!pane}
          className="flex min-h-11 w-fit items-center rounded-lg text-sm font-medium text-sky-700 hover:underline dark:text-sky-400"
        >
          {pane ? t('feed.page.close') : t('feed.page.back')}
        </Link>
        <div className="ms-auto flex items-center gap-1">
          <CopyButton text={link} what={t('feed.page.link')} label={t('feed.page.copyLink')} />
          <ShareButton title={title} url={link} />
        </div>
      </div>
      {/* The card's own heading names the event; this one names the page (and takes focus in the pane). */}
      <Heading ref={headingRef} tabIndex={-1} className="sr-only">
        {t('feed.page.event')}
      </Heading>
      {detail.isPending && <p className="text-sm text-slate-500">{t('feed.loadingEvent')}</p>}
      {detail.isError && <Alert>{detail.error.message}</Alert>}
      {detail.data && (
        <>
          <ApprovalPanel event={detail.data.event} approveId={approveId} />
          <EventCard event={detail.data.event} detailed confirmKey={confirmKey} triageControl={<TriageBar event={detail.data.event} />} />
          <AnswerSection detail={detail.data} />
          <Timeline detail={detail.data} />
          <EventDetails detail={detail.data} />
          <AttemptHistory attempts={detail.data.attempts} actions={detail.data.event.actions} />
          <DeleteEvent event={detail.data.event} />
          {detail.data.event.parentId && (
            <Link href={links.event(detail.data.event.parentId)} scroll={!pane} className="text-sm text-sky-700 underline dark:text-sky-400">
              {t('feed.thread.open')}
            </Link>
          )}
        </>
      )}
    </section>
  );
}
