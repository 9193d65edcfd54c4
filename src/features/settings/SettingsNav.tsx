/**
 * The sub-navigation of Settings ("Settings sections"): a link to each part (Personal, Project) and
 * to each section in it, in-page anchors that scroll to the section and focus it (goToSection; the
 * router does not follow hashes). From 1024 px a sticky column beside the content; on a phone a row
 * of 44 px chips under the title that scrolls sideways. The section in view (or the one
 * just gone to) is aria-current.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { t } from '../../i18n/i18n.ts';
import { goToSection } from '../onboarding/goTo.ts';

export interface NavSection {
  /** The id of the element the link scrolls to (`account`, `api-keys`, `members` are linked to from elsewhere too). */
  id: string;
  label: string;
}
export interface NavPart extends NavSection {
  sections: NavSection[];
}

/**
 * The section in view: the last one whose top has passed a line just below the sticky header (where
 * a link puts it), or the last of all once the page is scrolled to its end.
 */
const CURRENT_LINE = 120;

function useSectionInView(ids: string[]): string | null {
  const [current, setCurrent] = useState<string | null>(null);
  const key = ids.join(' ');
  useEffect(() => {
    const list = key.split(' ').filter(Boolean);
    let frame = 0;
    const measure = () => {
      frame = 0;
      const root = document.documentElement;
      const atEnd = window.scrollY > 0 && window.innerHeight + window.scrollY >= root.scrollHeight - 2;
      let found: string | null = null;
      for (const id of list) {
        const el = document.getElementById(id);
        if (el && (atEnd || el.getBoundingClientRect().top <= CURRENT_LINE)) found = id;
      }
      setCurrent(found ?? list[0] ?? null);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    // Sections that load later (members, keys) move the ones below them.
    const observer = new ResizeObserver(schedule);
    observer.observe(document.body);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [key]);
  return current;
}

/**
 * The current section: the one whose link was followed, until the person scrolls or presses something
 * themselves (a short section near the end cannot reach the top of the window), else the one in view.
 */
function useCurrentSection(ids: string[]): [string | null, (id: string | null) => void] {
  const inView = useSectionInView(ids);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    if (chosen === null) return;
    const release = () => setChosen(null);
    const events = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;
    for (const e of events) window.addEventListener(e, release, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, release);
    };
  }, [chosen]);
  return [chosen ?? inView, setChosen];
}

const chip =
  'inline-flex min-h-11 shrink-0 items-center whitespace-nowrap rounded-full px-4 text-sm ring-1 lg:min-h-9 lg:w-full lg:rounded-lg lg:px-3 lg:ring-0';
const partTone =
  'font-semibold bg-slate-800 text-white ring-slate-800 hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-950 dark:ring-slate-200 dark:hover:bg-white lg:bg-transparent lg:text-slate-900 lg:hover:bg-slate-100 dark:lg:bg-transparent dark:lg:text-white dark:lg:hover:bg-slate-900';
const sectionTone =
  'font-medium bg-white text-slate-700 ring-slate-300 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800 lg:ps-5';
const idleTone = 'lg:bg-transparent lg:hover:bg-slate-100 dark:lg:bg-transparent dark:lg:hover:bg-slate-900';
/** Beside the content only: on a phone the row is not in view as the page scrolls, so no chip stands out. */
const currentTone =
  'lg:bg-slate-200 lg:text-slate-950 lg:shadow-[inset_3px_0_0_var(--color-sky-700)] dark:lg:bg-slate-800 dark:lg:text-white dark:lg:shadow-[inset_3px_0_0_var(--color-sky-400)] rtl:lg:shadow-[inset_-3px_0_0_var(--color-sky-700)] rtl:dark:lg:shadow-[inset_-3px_0_0_var(--color-sky-400)]';

function SectionLink({ id, current, part = false, onGo, children }: {
  id: string;
  current: boolean;
  part?: boolean;
  onGo: (id: string | null) => void;
  children: ReactNode;
}) {
  return (
    <a
      href={`#${id}`}
      onClick={(e) => {
        goToSection(location.pathname, id)(e);
        if (e.defaultPrevented) onGo(part ? null : id);
      }}
      aria-current={current ? 'location' : undefined}
      className={`${chip} ${part ? partTone : `${sectionTone} ${current ? currentTone : idleTone}`}`}
    >
      {children}
    </a>
  );
}

export function SettingsNav({ parts }: { parts: NavPart[] }) {
  const [current, setCurrent] = useCurrentSection(parts.flatMap((p) => p.sections.map((s) => s.id)));
  return (
    <nav
      aria-label={t('settings.nav.label')}
      className="-mx-3 lg:sticky lg:top-20 lg:mx-0 lg:max-h-[calc(100dvh-6rem)] lg:self-start lg:overflow-y-auto"
    >
      <ul className="flex gap-2 overflow-x-auto px-3 py-1 [scrollbar-width:none] lg:flex-col lg:gap-5 lg:overflow-visible lg:px-0">
        {parts.map((part) => (
          <li key={part.id} className="flex shrink-0 gap-2 lg:flex-col lg:gap-0.5">
            <SectionLink id={part.id} current={false} part onGo={setCurrent}>
              {part.label}
            </SectionLink>
            <ul className="flex gap-2 lg:flex-col lg:gap-0.5">
              {part.sections.map((s) => (
                <li key={s.id} className="shrink-0">
                  <SectionLink id={s.id} current={current === s.id} onGo={setCurrent}>
                    {s.label}
                  </SectionLink>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The heading of a part of Settings, with a line on what it holds. */
export function PartHeading({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <h2 id={id} className="text-xl font-bold">
        {title}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">{children}</p>
    </div>
  );
}
