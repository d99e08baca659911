import type { PlanCommand } from '../../src/domain/plan/commands.ts';

/** An action agreed with one lead and a deadline, as tests that only need some action to exist agree it. */
export const agreeActionCommand = (ref: string): PlanCommand => ({
  type: 'AgreeAction',
  data: {
    ref,
    text: `Action ${ref}`,
    recommendationRefs: [],
    leadOrganisations: ['Dorset HealthCare'],
    partnerOrganisations: [],
    intendedOutcomes: [],
    due: { kind: 'date', date: '2017-01' },
    relatedActionRefs: [],
  },
});
