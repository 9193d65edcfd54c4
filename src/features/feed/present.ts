/** An event's title and preview (contract/present.ts) in the app's language. */
import type { EventDto } from '../../../contract/api.ts';
import { contentPreview as preview, eventTitle as title, type PresentWords } from '../../../contract/present.ts';
import { t } from '../../i18n/i18n.ts';

const words = (): PresentWords => ({ image: t('feed.image'), untitled: t('feed.untitled') });

export const contentPreview = (event: Pick<EventDto, 'type' | 'content'>, max?: number): string => preview(event, max, words());

/** The event's name, or a stand-in made from its content when it came without one. */
export const eventTitle = (event: Pick<EventDto, 'name' | 'type' | 'content'>): string => title(event, words());
