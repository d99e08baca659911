import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { Checkpoint } from '../../integrity/checkpoint.ts';
import { actionTimeline } from '../../../projections/timeline/timeline.ts';
import * as format from '../../presentation/format.ts';
import type { PackContents, PackManifest } from './pack-contents.ts';

const views = path.dirname(fileURLToPath(import.meta.url));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(views), { autoescape: true, throwOnUndefined: false });
for (const name of ['businessDate', 'instant', 'due', 'statusText', 'statusColour'] as const) env.addFilter(name, format[name]);

/**
 * The pack's index.html: one self-contained, printable page (its own styles, no scripts, no
 * request to anywhere) in plain NHS.UK style: the plan's status, deadline compliance, each
 * action's history with both clocks, and every piece of evidence with its hash and what the
 * pack holds of it. Built from the signed events in export.json, so it says what they say.
 */
export const renderIndexHtml = (input: {
  contents: PackContents;
  manifest: PackManifest;
  checkpoint: Checkpoint;
  createdAt: string;
  today: string;
}): string => {
  const { contents, manifest } = input;
  const plan = contents.detail!;
  const byHash = new Map(manifest.evidence.map((e) => [e.sha256, e]));
  const evidence = contents.evidence.map((entry) => {
    if (!entry.file) return { ...entry, status: 'link' };
    const held = byHash.get(entry.file.sha256);
    const erasure = contents.erasures.get(entry.file.sha256);
    return {
      ...entry,
      sha256: entry.file.sha256,
      // An erasure removes content; the record of what was attached (name, type, size, hash) stays, as in the events.
      fileName: entry.file.fileName,
      mediaType: entry.file.mediaType,
      size: entry.file.size,
      status: held?.status ?? 'missing',
      path: held?.path,
      erasedAt: held?.erasedAt,
      erasure: erasure && {
        recordedAt: erasure.recordedAt,
        by: `${erasure.actor.name} (${erasure.actor.organisation})`,
        reason: erasure.data.reason,
      },
    };
  });
  const counts = new Map<string, number>();
  for (const a of plan.actions) counts.set(a.computedStatus, (counts.get(a.computedStatus) ?? 0) + 1);
  return env.render('index.njk', {
    plan,
    retraction: contents.retraction,
    checkpoint: input.checkpoint,
    createdAt: input.createdAt,
    today: input.today,
    statusDay: contents.statusDay,
    compliance: [...counts].map(([status, count]) => ({ status, count })),
    actions: plan.actions.map((view) => ({ view, entries: actionTimeline(contents.timeline, view.ref) })),
    evidence,
    problems: manifest.evidence.filter((e) => e.status === 'missing' || e.status === 'altered').length,
  });
};
