import type { z } from 'zod';
import type { PlanKind } from '../../events/plan/plan-registered.v1.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { RawAction } from './action-row.ts';
import type { Glossary } from './glossary.ts';
import type { RawRecommendation } from './recommendation-row.ts';

/**
 * What the text-export reader works with: the caller's options, and what it gathers from a
 * document before the pieces are assembled into a plan. Kept apart from the reader and the
 * assembly so each can name the other's input without the two importing each other.
 */

export interface TextPlanOptions {
  fileName: string;
  directory: OrganisationDirectory;
  /** Today in London: the document date of last resort. */
  today: string;
  planId?: string | undefined;
  title?: string | undefined;
  owner?: string | undefined;
  kind?: z.infer<typeof PlanKind> | undefined;
}

export interface RawPlan {
  raw: string;
  sections: { ref: string; title: string; line: number }[];
  actions: (RawAction & { sectionRef?: string | undefined })[];
  recommendations: RawRecommendation[];
  glossary: Glossary;
  title?: string | undefined;
  documentDate?: string | undefined;
  ragLegend: { rating: string; meaning: string }[];
}
