import type { Principal } from '../access/principal.ts';
import { leadsOf, partnersOf } from '../../projections/plan-status/plan-lines.ts';
import type { ActionDoc } from '../../projections/plan-status/document.ts';

/**
 * Whether the pages offer a writer the forms of an action: a contributor records only on the
 * actions their organisation leads or partners, as the command path authorises
 * (src/access/authorise-command.ts, which still decides when a form is sent).
 */
export const offersFormsOn = (writer: Principal, action: ActionDoc, canonical: (name: string) => string): boolean => {
  if (writer.role !== 'contributor') return true;
  const mine = canonical(writer.organisation);
  return [...leadsOf(action), ...partnersOf(action)].some((name) => canonical(name) === mine);
};
