import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/integrity/canonical-json.ts';
import { columnsAgreeFast, type Row } from '../../src/integrity/sqlite/chain-rows.ts';
import { makeEvent } from '../support/events.ts';

const rowOf = (
  event: ReturnType<typeof makeEvent>,
  override: Partial<Record<'eventId' | 'type' | 'schemaVersion' | 'recordedAt' | 'commandId', string | number>> = {},
): Row => [
  0,
  'plan-p',
  0,
  canonicalJson(event),
  'a'.repeat(64),
  String(override.eventId ?? event.eventId),
  String(override.type ?? event.type),
  Number(override.schemaVersion ?? event.schemaVersion),
  String(override.recordedAt ?? event.recordedAt),
  String(override.commandId ?? event.commandId),
];

describe('the fast column check verify uses before parsing', () => {
  const event = makeEvent({ reason: 'Revised after the review' });

  it('agrees when every column matches the canonical body', () => {
    expect(columnsAgreeFast(rowOf(event))).toBe(true);
  });

  it.each(['eventId', 'type', 'schemaVersion', 'recordedAt', 'commandId'] as const)('notices a changed %s column', (column) => {
    const changed =
      column === 'schemaVersion' ? 9 : column === 'eventId' ? '00000000-0000-7000-8000-000000000000' : `${String(event[column])}x`;
    expect(columnsAgreeFast(rowOf(event, { [column]: changed }))).toBe(false);
  });

  it('gives up (so the JSON is parsed) when data repeats a key token, e.g. a nested eventId equal to a forged column', () => {
    const forged = '00000000-0000-7000-8000-000000000000';
    const nested = makeEvent({ data: { sectionRef: '1', title: 'x', related: { eventId: forged, commandId: 'other' } } });
    expect(columnsAgreeFast(rowOf(nested, { eventId: forged }))).toBe(false);
    expect(columnsAgreeFast(rowOf(nested))).toBe(false);
  });
});
