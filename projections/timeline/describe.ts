import { isDeepStrictEqual } from 'node:util';
import type { Due } from '../../events/business-date.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { businessDate, onOrIn } from './date-words.ts';
import { laidByCorrection } from '../../src/domain/correction-overlay.ts';
import type { Subject } from '../fact-subject.ts';
import { changeWords, type FieldChange } from './correction-words.ts';

/**
 * Deadlines as a reader would say them: "October 2015", "March 2018 ("Revised to March 2018")"
 * when the document's words say more than the date, "Ongoing", "As per the ACP".
 */
export const dueText = (due: unknown): string => {
  const d = due as Due | undefined;
  if (!d || typeof d !== 'object') return String(due);
  if (d.kind === 'date') {
    const date = businessDate(d.date);
    return d.wording && d.wording !== date ? `${date} ("${d.wording}")` : date;
  }
  if (d.kind === 'ongoing') return d.wording ?? 'Ongoing';
  return d.wording;
};

const list = (names: string[]) => names.join(', ');

/** Each kind of entry in words, as a correction names the entry it corrects. */
const ENTRY_WORDS: Record<string, string> = {
  PlanRegistered: 'registration of the plan',
  PlanOwnerChanged: 'change of owner',
  SectionAdded: 'section',
  RecommendationRecorded: 'recommendation',
  RecommendationResponseRecorded: 'response to a recommendation',
  RecommendationAssured: 'assurance judgement',
  ActionAgreed: 'agreement of an action',
  ActionLeadChanged: 'change of lead',
  DeadlineRevised: 'deadline revision',
  ProgressUpdateRecorded: 'progress update',
  EvidenceLinked: 'link to evidence',
  EvidenceFileAttached: 'evidence file',
  EvidenceErased: 'erasure of evidence',
  ActionCompleted: 'completion',
  ActionSubsumed: 'subsumption',
  ActionWithdrawn: 'withdrawal',
  ActionReopened: 'reopening',
  EntryCorrected: 'correction',
  PlanRetracted: 'retraction',
  PlanReinstated: 'reinstatement',
};

/** The fields of entries in words: what an audit trail's "before → after" names. */
const FIELD_WORDS: Record<string, string> = {
  due: 'Deadline',
  to: 'To',
  from: 'From',
  agreedBy: 'Agreed by',
  leadOrganisations: 'Lead organisations',
  partnerOrganisations: 'Partner organisations',
  effectiveOn: 'Date it happened',
  correctedEffectiveOn: 'Date it happened',
  correctedEventId: 'Entry corrected',
  changes: 'Correction',
  text: 'Text',
  narrative: 'Update',
  completedOn: 'Completed on',
  summary: 'Summary',
  reason: 'Reason',
  title: 'Title',
  uri: 'Link',
  response: 'Response',
  respondent: 'Respondent',
  assuredBy: 'Assured by',
  rationale: 'Rationale',
  judgement: 'Judgement',
  owner: 'Owner',
  reportedRag: 'Reported RAG',
  metrics: 'Metrics',
  intendedOutcomes: 'Intended outcomes',
  description: 'Description',
  ledByWording: 'Led by, as the document words it',
  recommendationRefs: 'Recommendations',
  relatedActionRefs: 'Related actions',
  governanceBody: 'Governance body',
  area: 'Area',
  kind: 'Kind',
  into: 'Subsumed into',
  addressedTo: 'Addressed to',
  ragLegend: 'RAG legend',
};
/** Where a kind of entry's field means something more particular than its name says: a revision's `to` is a deadline. */
const FIELD_WORDS_OF: Record<string, Record<string, string>> = {
  DeadlineRevised: { to: 'New deadline', from: 'Previous deadline' },
  PlanOwnerChanged: { to: 'New owner', from: 'Previous owner' },
  ActionLeadChanged: { to: 'New leads', from: 'Previous leads', partnersTo: 'New partners', partnersFrom: 'Previous partners' },
  ActionCompleted: { completedOn: 'Date completed' },
};

/** A field in words, as the kind of entry it belongs to (where known) means it. */
export const fieldWords = (name: string, type?: string): string =>
  (type === undefined ? undefined : FIELD_WORDS_OF[type]?.[name]) ?? FIELD_WORDS[name] ?? name;

/**
 * One line a person can read in an audit trail. A correction says what it changed, before and
 * after, given what it changed, what its entry is about and, for a correction of a correction, the
 * kind of entry underneath (`underneath`; the timeline knows them all: timeline.ts); without them,
 * only the values it set.
 */
export const summaryOf = (
  fact: LedgerFact,
  correction?: { changes: readonly FieldChange[]; about: Subject; underneath?: string | undefined },
): string => {
  switch (fact.type) {
    case 'PlanRegistered':
      return `Plan registered: ${fact.data.title} (owner ${fact.data.owner})`;
    case 'PlanOwnerChanged':
      return `Plan passed from ${fact.data.from} to ${fact.data.to}`;
    case 'SectionAdded':
      return `Section ${fact.data.sectionRef} added: ${fact.data.title}`;
    case 'RecommendationRecorded':
      return `Recommendation ${fact.data.ref} recorded: ${fact.data.text}`;
    case 'RecommendationResponseRecorded':
      return `${fact.data.respondent} responded to recommendation ${fact.data.ref}`;
    case 'RecommendationAssured':
      return `Recommendation ${fact.data.ref} judged ${fact.data.judgement} by ${fact.data.assuredBy}`;
    case 'ActionAgreed':
      return `Action ${fact.data.ref} agreed, led by ${list(fact.data.leadOrganisations)}, due ${dueText(fact.data.due)}`;
    case 'ActionLeadChanged':
      return `Lead of action ${fact.data.ref} changed from ${list(fact.data.from)} to ${list(fact.data.to)}`;
    case 'DeadlineRevised':
      return (
        `Deadline of action ${fact.data.ref} revised from ${dueText(fact.data.from)} to ` +
        `${dueText(fact.data.to)}${fact.data.agreedBy ? `, agreed by ${fact.data.agreedBy}` : ''}`
      );
    case 'ProgressUpdateRecorded':
      return (
        `Progress update on ${fact.data.target.kind} ` +
        `${fact.data.target.ref}${fact.data.reportedRag ? ` (reported ${fact.data.reportedRag.rating})` : ''}: ${fact.data.narrative}`
      );
    case 'EvidenceLinked':
      return `Evidence linked to ${fact.data.target.kind} ${fact.data.target.ref}: ${fact.data.title}`;
    case 'EvidenceFileAttached':
      return (
        `Evidence file attached to ${fact.data.target.kind} ${fact.data.target.ref}: ${fact.data.title} ` +
        `(${fact.data.file.mediaType}, ${fact.data.file.size} bytes, sha256 ${fact.data.file.sha256})`
      );
    case 'EvidenceErased':
      return `Evidence file erased (sha256 ${fact.data.sha256}): ${fact.data.reason}`;
    case 'ActionCompleted':
      return `Action ${fact.data.ref} completed ${onOrIn(fact.data.completedOn)}`;
    case 'ActionSubsumed':
      return (
        `Action ${fact.data.ref} subsumed into ` +
        `${fact.data.into.kind === 'action' ? `action ${fact.data.into.ref}` : fact.data.into.name}`
      );
    case 'ActionWithdrawn':
      return `Action ${fact.data.ref} withdrawn`;
    case 'ActionReopened':
      return `Action ${fact.data.ref} reopened`;
    case 'PlanRetracted':
      return `Plan retracted from every current view and report: ${fact.data.reason}`;
    case 'PlanReinstated':
      return `Plan reinstated after its retraction: ${fact.data.reason}`;
    case 'EntryCorrected': {
      // What it lays, as the views read it (a completion's date moves its business date): effectiveOn is the date.
      const { effectiveOn, ...laid } = laidByCorrection(fact.data);
      const all = correction?.changes ?? [
        ...Object.entries(laid).map(([field, after]) => ({ field, before: null, after })),
        ...(effectiveOn === undefined ? [] : [{ field: 'effectiveOn', before: null, after: effectiveOn }]),
      ];
      // A completion's date is its business date: said once when the two moved together.
      const completed = all.find((c) => c.field === 'completedOn');
      const changes = all.filter(
        (c) => !(c.field === 'effectiveOn' && completed && isDeepStrictEqual(c, { ...completed, field: 'effectiveOn' })),
      );
      const type = fact.data.correctedType;
      const entry = ENTRY_WORDS[type] ?? type;
      const about = correction?.about && correction.about.kind !== 'plan' ? ` (${correction.about.kind} ${correction.about.ref})` : '';
      const wordsOf = (of: string | undefined) => ({ due: dueText, field: (name: string) => fieldWords(name, of) });
      const words = changeWords(changes, wordsOf(type), correction?.underneath === undefined ? undefined : wordsOf(correction.underneath));
      return `Correction of an earlier ${entry}${about}${words ? `: ${words}` : ''}`;
    }
    default: {
      const exhaustive: never = fact;
      return exhaustive;
    }
  }
};
