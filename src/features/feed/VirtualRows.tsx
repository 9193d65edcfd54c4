/**
 * Where the feed's rows go once the person scrolls: a window virtualiser (its library loads with this
 * module, not with the first screen), so thousands of events keep the DOM small. It draws nothing
 * itself: it hands EventList the rows to draw and their places, so the rows already on screen stay the
 * same elements (an open thread, a JSON block shown whole, stay as they are) and start at their
 * measured heights.
 */
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';

export interface RowsLayout {
  /** The rows to draw: their index and their top, from the list's top. */
  items: { index: number; start: number }[];
  /** The whole list's height. */
  total: number;
  /** Each drawn row's element goes here (its `data-index` names it), so its real height counts. */
  measure: (element: Element | null) => void;
}

export interface VirtualLayoutProps {
  count: number;
  keyOf: (index: number) => string;
  estimate: (index: number) => number;
  scrollMargin: number;
  /** Changes when the rows' layout does (density, desk): every height is measured again. */
  layoutName: string;
  onLayout: (layout: RowsLayout) => void;
}

export function VirtualLayout({ count, keyOf, estimate, scrollMargin, layoutName, onLayout }: VirtualLayoutProps) {
  const virtualizer = useWindowVirtualizer({ count, estimateSize: estimate, overscan: 6, scrollMargin, getItemKey: keyOf });
  // Sizes measured in the other density are wrong now: measure again (only on a change, not on mount,
  // where it would lay the whole list out twice).
  const measuredFor = useRef(layoutName);
  useEffect(() => {
    if (measuredFor.current === layoutName) return;
    measuredFor.current = layoutName;
    virtualizer.measure();
  }, [layoutName, virtualizer]);
  const items = virtualizer.getVirtualItems().map((item) => ({ index: item.index, start: item.start - virtualizer.options.scrollMargin }));
  const total = virtualizer.getTotalSize();
  const signature = `${total}:${items.map((i) => `${i.index}@${i.start}`).join(',')}`;
  // Before the browser paints: the rows move in the same frame as the scroll. Not before the
  // virtualiser has read the window (it places nothing yet): the plain rows stay until it has.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for items and total
  useLayoutEffect(() => {
    if (count > 0 && items.length === 0) return;
    onLayout({ items, total, measure: virtualizer.measureElement });
  }, [signature, onLayout]);
  return null;
}
