import { type ComponentType, createContext } from 'react';
import type { EventDto } from '../../../contract/api.ts';

/**
 * The triage desk's row, given by the two-pane workspace (which only a wide screen loads): the feed
 * draws its events as rows when one is given and the density is compact, so a phone never downloads
 * the desk.
 */
export const DeskRow = createContext<ComponentType<{ event: EventDto }> | null>(null);
