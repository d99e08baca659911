import type { ImportSummary } from './import-plan.ts';
import type { PreviewRow } from './preview.ts';

/**
 * The preview as a person reads it in a terminal: one line per fact, from where it came
 * to what it becomes, then the gate's verdict in words: what would be written, or what
 * blocks it and which flag accepts it.
 */
const COLUMNS: { title: string; width: number; value: (r: PreviewRow) => string }[] = [
  { title: 'source', width: 36, value: (r) => r.source },
  { title: 'fact', width: 14, value: (r) => r.fact },
  { title: 'ref', width: 8, value: (r) => r.ref ?? '' },
  { title: 'text', width: 44, value: (r) => r.text ?? '' },
  { title: 'lead', width: 24, value: (r) => r.lead ?? '' },
  { title: 'due', width: 16, value: (r) => r.due ?? '' },
  { title: 'status', width: 14, value: (r) => r.status ?? '' },
  { title: 'effective', width: 10, value: (r) => r.effectiveOn ?? '' },
  { title: 'record', width: 6, value: (r) => r.record },
];

const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

export const formatPreview = (rows: PreviewRow[]): string => {
  const line = (values: string[]) =>
    values
      .map((v, i) => fit(v, COLUMNS[i]!.width))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map((c) => c.title)), ...rows.map((r) => line(COLUMNS.map((c) => c.value(r))))].join('\n');
};

export const formatGate = (s: ImportSummary): string => {
  const { gate } = s;
  if (gate.blocking === 0) return `Gate: no warning blocks this import (${gate.informational} informational).`;
  if (gate.accepted) return `Gate: ${gate.blocking} blocking warning(s) accepted with --accept-warnings; the rest is recorded as it is.`;
  return (
    `Gate: ${gate.blocking} warning(s) mean facts would be lost or misplaced (marked BLOCKING above); ` +
    `${s.dryRun ? 'the real import would be refused' : 'nothing was written'}. ` +
    `Fix the document, or pass --accept-warnings to record the rest as it is.`
  );
};
