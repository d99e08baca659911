import type { Actor } from '../../../events/envelope.ts';
import type { CommandAccess } from '../../api/http/command-routes.ts';
import type { PlanCommand } from '../../domain/plan/commands.ts';
import type { Plan } from '../../domain/plan/state.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import type { AccessControl } from '../access-control.ts';
import { authorise } from '../authorise-command.ts';
import { actorOf } from '../principal.ts';
import { requirePrincipal } from './request-principal.ts';

/**
 * Who a command is attributed to and whether it may run. With access control, both come
 * from the authenticated principal only; without it (an app a benchmark or test builds
 * itself), every write is attributed to the operator that code named.
 */
export const commandAccess = (
  deps: { access: AccessControl } | { access?: undefined; operator: Actor },
): CommandAccess<PlanCommand, Plan> => {
  if (!deps.access) {
    const operator = deps.operator;
    return { actorOf: () => operator };
  }
  const canonical = deps.access.directory.canonical;
  return {
    actorOf: (request) => actorOf(requirePrincipal(request)),
    authorise: (request, command, plan) => {
      const decision = authorise(requirePrincipal(request), command, plan, canonical);
      if (!decision.allowed) throw new HttpProblem({ status: 403, code: decision.code, title: 'Forbidden', detail: decision.reason });
    },
  };
};
