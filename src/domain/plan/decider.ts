import type { PlanEvent } from '../../../events/catalogue.ts';
import type { Decider } from '../decider.ts';
import type { Command } from './commands.ts';
import { decide } from './decide.ts';
import { evolve } from './evolve.ts';
import { initialState, type Plan } from './state.ts';

/** The plan stream's decider: one stream per plan holds the plan, its sections, recommendations and actions. */
export const planDecider: Decider<Command, PlanEvent, Plan> = { initialState, decide, evolve };
