import type { LedgerFact } from '../../projections/ledger-fact.ts';
import { precisionOf } from '../../events/business-date.ts';

let position = 0;

/** A ledger fact for projection specs: positions increase, ids are readable, both clocks are explicit. */
export const ledgerFact = (
  type: LedgerFact['type'],
  data: object,
  options: { effectiveOn?: string; recordedAt?: string; planId?: string; eventId?: string } = {},
): LedgerFact => {
  const effectiveOn = options.effectiveOn ?? '2015-03';
  const n = position++;
  return {
    type,
    data,
    planId: options.planId ?? 'p1',
    eventId: options.eventId ?? `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    position: BigInt(n),
    revision: n,
    recordedAt: options.recordedAt ?? '2026-01-05T09:00:00.000Z',
    effectiveOn: { date: effectiveOn, precision: precisionOf(effectiveOn) },
    actor: { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' },
  } as LedgerFact;
};

export const registered = (options?: Parameters<typeof ledgerFact>[2]) =>
  ledgerFact('PlanRegistered', { planId: 'p1', title: 'Plan', kind: 'other', owner: 'Dorset CCG', ragLegend: [] }, options);

export const agreed = (ref: string, due: object, options?: Parameters<typeof ledgerFact>[2]) =>
  ledgerFact(
    'ActionAgreed',
    {
      ref,
      text: `Action ${ref}`,
      recommendationRefs: [],
      leadOrganisations: ['Dorset CCG'],
      partnerOrganisations: [],
      intendedOutcomes: [],
      due,
      relatedActionRefs: [],
    },
    options,
  );
