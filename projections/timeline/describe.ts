import { isDeepStrictEqual } from 'node:util';
import type { Due } from '../../events/business-date.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { businessDate, onOrIn } from './date-words.ts';
import { laidByCorrection } from '../../src/domain/correction-overlay.ts';
import { changeWords, type Change, type CorrectionEffect } from './correction-words.ts';

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
 * One line a person can read in an audit trail. A correction says what it changed of the entries
 * that stand, before and after (`effects`: the timeline works them out as it lays the correction,
 * timeline.ts); without them, only the values it set.
 */
export const summaryOf = (fact: LedgerFact, effects?: readonly CorrectionEffect[]): string => {
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
    case 'EntryCorrected':
      return correctionSummary(fact, effects);
    default: {
      const exhaustive: never = fact;
      return exhaustive;
    }
  }
};

const wordsOf = (type: string) => ({ due: dueText, field: (name: string) => fieldWords(name, type) });

/** A completion's date is its business date: said once when the two moved together. */
const saidOnce = (changes: readonly Change[]): Change[] => {
  const completed = changes.find((c) => c.field === 'completedOn');
  return changes.filter((c) => !(c.field === 'effectiveOn' && completed && isDeepStrictEqual(c, { ...completed, field: 'effectiveOn' })));
};

/**
 * "Correction of an earlier progress update (action 1.3): date it happened from August 2017 to
 * September 2015". A correction of a correction names the entry it changed the standing of, and
 * a redirected one both entries: "Correction of an earlier correction. Deadline revision (action
 * 2.1): new deadline from August 2016 to July 2016. Deadline revision (action 1.3): …".
 */
const correctionSummary = (fact: Extract<LedgerFact, { type: 'EntryCorrected' }>, effects: readonly CorrectionEffect[] | undefined) => {
  const type = fact.data.correctedType;
  const head = `Correction of an earlier ${ENTRY_WORDS[type] ?? type}`;
  const about = (e: CorrectionEffect) => (e.about.kind === 'plan' ? '' : ` (${e.about.kind} ${e.about.ref})`);
  const changed = (effects ?? []).filter((e) => e.changes.length > 0);
  if (changed.length === 1 && changed[0]!.type === type)
    return `${head}${about(changed[0]!)}: ${changeWords(saidOnce(changed[0]!.changes), wordsOf(type))}`;
  if (changed.length > 0) {
    const each = changed.map((e) => {
      const entry = ENTRY_WORDS[e.type] ?? e.type;
      return `${entry.charAt(0).toUpperCase()}${entry.slice(1)}${about(e)}: ${changeWords(saidOnce(e.changes), wordsOf(e.type))}`;
    });
    return `${head}. ${each.join('. ')}`;
  }
  // Nothing in force changed (or the entries are not known here): the values it set.
  const { effectiveOn, ...laid } = laidByCorrection(fact.data);
  const set = [
    ...Object.entries(laid).map(([field, after]) => ({ field, before: null, after })),
    ...(effectiveOn === undefined ? [] : [{ field: 'effectiveOn', before: null, after: effectiveOn }]),
  ];
  const words = changeWords(saidOnce(set), wordsOf(type));
  return words ? `${head}: ${words}` : head;
};
