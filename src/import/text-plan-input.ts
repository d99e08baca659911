import type { z } from 'zod';
import type { PlanKind } from '../../events/plan/plan-registered.v1.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { RawAction } from './action-row.ts';
import type { Glossary } from './glossary.ts';
import type { PlanTable } from './plan-layout.ts';
import type { RawRecommendation } from './recommendation-row.ts';

/**
 * What the plan readers work with: the caller's options, and what they gather from a
 * document before the pieces are assembled into a plan. Kept apart from the readers and the
 * assembly so each can name the other's input without the two importing each other.
 */

export interface TextPlanOptions {
  fileName: string;
  directory: OrganisationDirectory;
  planId?: string | undefined;
  title?: string | undefined;
  owner?: string | undefined;
  kind?: z.infer<typeof PlanKind> | undefined;
  /** The date the document speaks as of, when it states none itself (`--effective-on`). */
  effectiveOn?: string | undefined;
}

export interface RawPlan {
  raw: string;
  /** Where line n is in the original: "line 42", "table 2, row 3, cell 4". */
  place: (line: number) => string;
  tables: PlanTable[];
  /** The preamble lines the plan itself was read from (title, date, legend). */
  planLines: number[];
  sections: { ref: string; title: string; line: number }[];
  actions: (RawAction & { sectionRef?: string | undefined })[];
  recommendations: RawRecommendation[];
  glossary: Glossary;
  title?: string | undefined;
  documentDate?: string | undefined;
  ragLegend: { rating: string; meaning: string }[];
}
