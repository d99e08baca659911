import { isKnowledgeEvent } from '../clocks/clocks.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import type { PlanDoc, RevisionNotCounted } from '../plan-status/document.ts';
import { revisionsNotCountedAmong } from '../plan-status/revisions-not-counted.ts';
import { evolvePlanStatus } from '../plan-status/evolve.ts';
import { factDays } from './business-days.ts';
import type { LineChange } from './storage/line-blocks.ts';
import { encodeLine, type Intern } from './line-codec.ts';
import { HEADER, partLine, partOf, type PartKey } from './parts.ts';
import { copyJson } from '../copy-json.ts';
import { resolveCorrectionsWithAmendments } from '../../src/domain/correction-overlay.ts';

/** Whether corrections of corrections, at any depth, send any correction to an entry other than the one it was recorded against. */
const redirected = (knowledge: readonly LedgerFact[]): boolean => {
  const recorded = knowledge.flatMap((f) => (f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data }] : []));
  if (!recorded.some((c) => c.data.correctedType === 'EntryCorrected')) return false;
  const { amended } = resolveCorrectionsWithAmendments(recorded);
  return recorded.some((c) => amended.get(c.eventId)?.correctedEventId !== c.data.correctedEventId);
};

/**
 * Works out parts' lines on the business clock from the plan's facts, as the ledger knows
 * them now: for each business day on which one of a part's facts took effect, the part's line
 * in the plan-status document folded (by the one evolve) from the facts that count then.
 *
 * A part's line depends only on the plan's registration, the part's own facts and the
 * corrections that reach them, so each part is folded from those alone, its registration
 * taken as counting: a plan counts at a business date only from its header's first line
 * (history-reader.ts), whatever its parts' lines say before that. When a part's facts
 * were recorded in the order they took effect, the days' documents are prefixes of one fold:
 * it is folded once, and at each day the corrections recorded after that prefix are laid on
 * a copy. Otherwise each day is folded on its own.
 */
export const businessChanges = (
  facts: readonly LedgerFact[],
  parts: ReadonlySet<PartKey> | 'all',
  intern: Intern,
): { changes: LineChange[]; maxDay: Record<PartKey, number> } => {
  // Each fact's day, once: the days of a part recorded out of order are each folded from all its facts.
  const dayByFact = factDays(facts);
  const dayOf = (fact: LedgerFact) => dayByFact.get(fact)!;
  const corrections = facts.filter((f) => isKnowledgeEvent(f.type));
  // A correction redirected by a correction of it, at any depth, reaches parts no simple chain shows:
  // then every part reads every correction.
  const redirects = redirected(corrections);
  const registration = facts[0]?.type === 'PlanRegistered' ? facts[0] : undefined;
  const own = new Map<PartKey, LedgerFact[]>();
  for (const fact of facts) {
    if (isKnowledgeEvent(fact.type)) continue;
    const part = partOf(fact);
    if (parts !== 'all' && !parts.has(part)) continue;
    const ofPart = own.get(part);
    if (ofPart) ofPart.push(fact);
    else own.set(part, [fact]);
  }
  const changes: LineChange[] = [];
  const maxDay: Record<PartKey, number> = {};
  for (const [part, mine] of own) {
    const ids = new Set(mine.map((f) => f.eventId));
    const reaching = redirects
      ? corrections
      : corrections.filter((f) => {
          // Retractions and reinstatements reach the header.
          if (f.type !== 'EntryCorrected') return part === HEADER;
          if (!ids.has(f.data.correctedEventId)) return false;
          ids.add(f.eventId); // a correction of this correction reaches the part too
          return true;
        });
    const days = mine.map(dayOf);
    maxDay[part] = Math.max(...days);
    const base = part === HEADER || !registration ? [] : [registration];
    const folded = [...base, ...mine, ...reaching].sort((a, b) => (a.position < b.position ? -1 : 1));
    const firstPos = Number(mine[0]!.position);
    // Without the registration nothing of the plan counts yet; a part not yet created still counts towards the plan's position.
    const emit = (day: number, doc: PlanDoc | undefined, lastPos: number, notCounted: RevisionNotCounted[] = []) => {
      if (!doc) return;
      // The document may be carried on to later days: the revisions it leaves out are named on a shallow copy.
      const line = partLine(notCounted.length === 0 ? doc : { ...doc, revisionsNotCounted: notCounted }, part);
      changes.push([day, part, line ? encodeLine(line, intern) : null, lastPos, firstPos]);
    };
    const inOrder = days.every((day, i) => i === 0 || day >= days[i - 1]!);
    if (inOrder) foldOnce(folded, mine, days, emit);
    else {
      // Whether the plan itself counts yet is its header's business: here its registration always does.
      const counts = (fact: LedgerFact, day: number) => isKnowledgeEvent(fact.type) || fact === base[0] || dayOf(fact) <= day;
      // Out of order, a day's document may leave out a revision recorded before one it holds (revisions-not-counted.ts).
      const revises = mine.some((fact) => fact.type === 'DeadlineRevised');
      foldEachDay(
        folded,
        days,
        counts,
        (fact) => ids.has(fact.eventId) && !isKnowledgeEvent(fact.type),
        (day, doc, lastPos) => emit(day, doc, lastPos, revises ? revisionsNotCountedAmong(mine, (fact) => counts(fact, day)) : []),
      );
    }
  }
  changes.sort((a, b) => a[0] - b[0] || a[4] - b[4]);
  return { changes, maxDay };
};

/**
 * One fold of a part whose facts took effect in the order recorded: after the last fact of
 * each day, a copy of the document takes the corrections recorded later, and gives the day's line.
 */
const foldOnce = (
  folded: LedgerFact[],
  mine: LedgerFact[],
  days: number[],
  emit: (day: number, doc: PlanDoc | undefined, lastPos: number) => void,
) => {
  const lastOfDay = new Map<string, number>();
  mine.forEach((fact, i) => {
    if (i === mine.length - 1 || days[i + 1]! > days[i]!) lastOfDay.set(fact.eventId, days[i]!);
  });
  let doc: PlanDoc | undefined;
  folded.forEach((fact, i) => {
    doc = evolvePlanStatus(doc, fact);
    const day = lastOfDay.get(fact.eventId);
    if (day === undefined) return;
    const later = folded.slice(i + 1).filter((f) => isKnowledgeEvent(f.type));
    let copy = later.length === 0 ? doc : copyJson(doc);
    for (const correction of later) copy = evolvePlanStatus(copy, correction);
    emit(day, copy, Number(fact.position));
  });
};

/**
 * The folds of a part whose facts took effect out of the order recorded: at each day, the
 * facts that count then, in ledger order. What counts at a day counts at every later one, so
 * the run of facts (in ledger order) that all count at a day is folded once and carried on to
 * the next day; only the counting facts after the first that does not are folded again, on a
 * copy. Folding every day from nothing cost days × facts evolves per part, most of a rebuild's
 * settling.
 */
const foldEachDay = (
  folded: LedgerFact[],
  days: number[],
  counts: (fact: LedgerFact, day: number) => boolean,
  isOwn: (fact: LedgerFact) => boolean,
  emit: (day: number, doc: PlanDoc | undefined, lastPos: number) => void,
) => {
  let prefix: PlanDoc | undefined;
  let prefixLength = 0;
  let prefixLastPos = -1;
  for (const day of [...new Set(days)].sort((a, b) => a - b)) {
    while (prefixLength < folded.length && counts(folded[prefixLength]!, day)) {
      const fact = folded[prefixLength++]!;
      prefix = evolvePlanStatus(prefix, fact);
      if (isOwn(fact)) prefixLastPos = Number(fact.position);
    }
    const rest = folded.slice(prefixLength + 1).filter((fact) => counts(fact, day));
    // The carried fold is evolved further on later days: the rest is laid on a copy of it.
    let doc = rest.length === 0 ? prefix : copyJson(prefix);
    let lastPos = prefixLastPos;
    for (const fact of rest) {
      doc = evolvePlanStatus(doc, fact);
      if (isOwn(fact)) lastPos = Number(fact.position);
    }
    emit(day, doc, lastPos);
  }
};
