import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../../events/envelope.ts';

let sequence = 0;

/** A unique id with a readable prefix, for command ids and stream names in tests. */
export const uniqueId = (prefix: string): string => `${prefix}-${uuidv7()}`;

/** A valid SectionAdded envelope; override any field, e.g. commandId or data. */
export const makeEvent = (overrides: Partial<NewEvent> = {}): NewEvent => {
  sequence++;
  const commandId = overrides.commandId ?? uniqueId('cmd');
  return {
    eventId: uuidv7(),
    type: 'SectionAdded',
    schemaVersion: 1,
    recordedAt: new Date().toISOString(),
    effectiveOn: { date: '2017-08', precision: 'month' },
    actor: { id: 'u-1', name: 'Alex Reviewer', organisation: 'NHS Test Trust', role: 'assurance-lead' },
    commandId,
    correlationId: commandId,
    provenance: { source: 'api' },
    data: { sectionRef: String(sequence), title: `Section ${sequence}` },
    ...overrides,
  };
};

/** n events for one command: they share its commandId and correlationId. */
export const makeEvents = (n: number, commandId: string = uniqueId('cmd')): NewEvent[] =>
  Array.from({ length: n }, () => makeEvent({ commandId, correlationId: commandId }));
