import type { AllStreamRecordedEvent, Filter, Position } from '@kurrent/kurrentdb-client';
import { metadataAsRead } from './stand-in-server-rules.ts';

/* The log of the in-process KurrentDB stand-in (NOT KurrentDB): its records and how readers see them. */

/** One record in the stand-in's log, as the engine would keep it. */
export interface LogRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  /** The JSON text as the client would have sent it. */
  data: string;
  metadata: string | undefined;
  position: Position;
  created: Date;
}

export const matches = (filter: Filter | undefined, record: LogRecord): boolean => {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  return 'prefixes' in filter ? filter.prefixes.some((p) => subject.startsWith(p)) : new RegExp(filter.regex).test(subject);
};

export const compare = (a: Position, b: Position) => (a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1);

export const toRecorded = (record: LogRecord): AllStreamRecordedEvent => {
  // Fresh objects on every read, as the real client parses each response anew.
  return {
    streamId: record.streamId,
    id: record.id,
    revision: record.revision,
    type: record.type,
    data: JSON.parse(record.data) as Record<string, unknown>,
    metadata: metadataAsRead(
      record.metadata === undefined ? undefined : (JSON.parse(record.metadata) as Record<string, unknown>),
      record.type,
    ),
    isJson: true,
    created: record.created,
    position: { ...record.position },
  } as AllStreamRecordedEvent;
};
