import type { z } from 'zod';
import { ActionAgreedV1 } from './plan/action-agreed.v1.ts';
import { ActionAgreedV2, upcastActionAgreedV1 } from './plan/action-agreed.v2.ts';
import { ActionCompletedV1 } from './plan/action-completed.v1.ts';
import { ActionLeadChangedV1 } from './plan/action-lead-changed.v1.ts';
import { ActionReopenedV1 } from './plan/action-reopened.v1.ts';
import { ActionSubsumedV1 } from './plan/action-subsumed.v1.ts';
import { ActionWithdrawnV1 } from './plan/action-withdrawn.v1.ts';
import { DeadlineRevisedV1 } from './plan/deadline-revised.v1.ts';
import { EntryCorrectedV1 } from './plan/entry-corrected.v1.ts';
import { EntryCorrectedV2, upcastEntryCorrectedV1 } from './plan/entry-corrected.v2.ts';
import { EvidenceLinkedV1 } from './plan/evidence-linked.v1.ts';
import { PlanOwnerChangedV1 } from './plan/plan-owner-changed.v1.ts';
import { PlanRegisteredV1 } from './plan/plan-registered.v1.ts';
import { PlanReinstatedV1 } from './plan/plan-reinstated.v1.ts';
import { PlanRetractedV1 } from './plan/plan-retracted.v1.ts';
import { ProgressUpdateRecordedV1 } from './plan/progress-update-recorded.v1.ts';
import { RecommendationAssuredV1 } from './plan/recommendation-assured.v1.ts';
import { RecommendationRecordedV1 } from './plan/recommendation-recorded.v1.ts';
import { RecommendationResponseRecordedV1 } from './plan/recommendation-response-recorded.v1.ts';
import { SectionAddedV1 } from './plan/section-added.v1.ts';

/**
 * The catalogue: for each event type, the schema of every version ever written and the
 * pure upcaster that lifts each old version one step. Readers always see the current version.
 */
type Version = { schema: z.ZodType; upcast?: (data: never) => unknown };

const catalogue = {
  PlanRegistered: [{ schema: PlanRegisteredV1 }],
  PlanOwnerChanged: [{ schema: PlanOwnerChangedV1 }],
  SectionAdded: [{ schema: SectionAddedV1 }],
  RecommendationRecorded: [{ schema: RecommendationRecordedV1 }],
  RecommendationResponseRecorded: [{ schema: RecommendationResponseRecordedV1 }],
  ActionAgreed: [{ schema: ActionAgreedV1, upcast: upcastActionAgreedV1 }, { schema: ActionAgreedV2 }],
  ActionLeadChanged: [{ schema: ActionLeadChangedV1 }],
  DeadlineRevised: [{ schema: DeadlineRevisedV1 }],
  ProgressUpdateRecorded: [{ schema: ProgressUpdateRecordedV1 }],
  EvidenceLinked: [{ schema: EvidenceLinkedV1 }],
  ActionCompleted: [{ schema: ActionCompletedV1 }],
  ActionSubsumed: [{ schema: ActionSubsumedV1 }],
  ActionWithdrawn: [{ schema: ActionWithdrawnV1 }],
  ActionReopened: [{ schema: ActionReopenedV1 }],
  RecommendationAssured: [{ schema: RecommendationAssuredV1 }],
  EntryCorrected: [{ schema: EntryCorrectedV1, upcast: upcastEntryCorrectedV1 }, { schema: EntryCorrectedV2 }],
  PlanRetracted: [{ schema: PlanRetractedV1 }],
  PlanReinstated: [{ schema: PlanReinstatedV1 }],
} as const satisfies Record<string, readonly Version[]>;

type Catalogue = typeof catalogue;
export type EventType = keyof Catalogue;
type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer L] ? L : never;
type CurrentSchema<K extends EventType> = Last<Catalogue[K]> extends { schema: infer S extends z.ZodType } ? S : never;

/** The data of each event type at its current version. */
export type EventData<K extends EventType> = z.output<CurrentSchema<K>>;

/** Every domain event as the deciders and projections see it: a type and its current-version data. */
export type PlanEvent = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];

export const eventTypes = Object.keys(catalogue) as EventType[];

export const isEventType = (type: string): type is EventType => Object.hasOwn(catalogue, type);

export const currentVersion = (type: EventType): number => catalogue[type].length;

export class UnknownEventType extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion?: number,
  ) {
    super(
      schemaVersion === undefined
        ? `unknown event type "${eventType}"`
        : `unknown schema version ${schemaVersion} of event type "${eventType}"`,
    );
  }
}

/** The current-version schema of a type: used to validate new events and corrected data. */
export const currentSchema = (type: EventType): z.ZodType => {
  const versions: readonly Version[] = catalogue[type];
  return versions[versions.length - 1]!.schema;
};

/**
 * Read stored data of any version as the current version: validate it against the
 * schema it was written with, then apply each upcaster in turn.
 */
export const readEventData = (type: string, schemaVersion: number, data: unknown): PlanEvent => {
  if (!isEventType(type)) throw new UnknownEventType(type);
  const versions: readonly Version[] = catalogue[type];
  const written = versions[schemaVersion - 1];
  if (!written) throw new UnknownEventType(type, schemaVersion);
  let value: unknown = written.schema.parse(data);
  for (let v = schemaVersion - 1; v < versions.length - 1; v++) {
    value = versions[v + 1]!.schema.parse((versions[v]!.upcast as (d: unknown) => unknown)(value));
  }
  return { type, data: value } as PlanEvent;
};

/**
 * The read path for data that came out of the ledger. Every event was validated against
 * its then-current schema when it was appended (the command handler parses it before the
 * store sees it), so data already at the current version is returned as stored: parsing
 * it again through zod on every read would cost projections most of their time. Older
 * versions still go through readEventData: they must be checked and upcast.
 */
export const readStoredEventData = (type: string, schemaVersion: number, data: unknown): PlanEvent => {
  if (isEventType(type) && schemaVersion === catalogue[type].length) return { type, data } as PlanEvent;
  return readEventData(type, schemaVersion, data);
};
