import type { EventDto } from '../../../contract/api.ts';
import { Alert, Button } from '../../components/ui.tsx';
import { HandledNote, useMarkHandled } from './Handled.tsx';

/** On the event's page: who handled it, and the button that marks it handled (or not any more). */
export function HandledControl({ event }: { event: EventDto }) {
  const { mark, canMark } = useMarkHandled(event);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <HandledNote event={event} />
      {canMark && (
        <Button onClick={() => mark.mutate(!event.handled)} disabled={mark.isPending}>
          {event.handled ? 'Not handled' : 'Mark handled'}
        </Button>
      )}
      {mark.error && <Alert>{mark.error.message}</Alert>}
    </div>
  );
}
