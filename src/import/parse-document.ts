import { createHash } from 'node:crypto';
import { BusinessDate } from '../../events/business-date.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { parseCsvPlan } from './csv-plan.ts';
import { ImportError } from './import-error.ts';
import { parseJsonPlan } from './json-plan.ts';
import { DocumentPlan, type ParsedDocument } from './plan-document.ts';
import { checkSize, decodeDocument, detectFormat, type DocumentFormat } from './read-document.ts';
import { readPlan } from './read-plan.ts';
import { readDocx } from './source/docx-reader.ts';
import { fileKind } from './source/file-kind.ts';
import { openOfficePackage } from './source/office-package.ts';
import { readStructuredLayout } from './source/structured-layout.ts';
import { readXlsx } from './source/xlsx-reader.ts';
import { parseTextPlan } from './text-plan.ts';
import { cleanSourceDocument } from './control-characters.ts';
import type { TextPlanOptions } from './text-plan-input.ts';

/**
 * From bytes to a PlanDocument: check the size, tell what the file is by its first bytes
 * (a Word document, a workbook, UTF-8 or UTF-16 text, or something that is no plan at all),
 * and read it with the reader for that format. Nothing here touches the ledger.
 */
export interface ParseRequest {
  fileName: string;
  content: Uint8Array | string;
  planId?: string | undefined;
  owner?: string | undefined;
  title?: string | undefined;
  kind?: TextPlanOptions['kind'];
  format?: DocumentFormat | undefined;
  effectiveOn?: string | undefined;
}

export type Parsed = ParsedDocument & { format: DocumentFormat; sha256: string };

export const parseDocument = async (
  request: ParseRequest,
  deps: { directory: OrganisationDirectory; maxBytes?: number | undefined },
): Promise<Parsed> => {
  if (request.planId !== undefined && !DocumentPlan.shape.planId.safeParse(request.planId).success)
    throw new ImportError(
      'invalid-plan-id',
      `"${request.planId}" is not a plan id: use lowercase letters, digits and hyphens, up to 100 characters`,
      undefined,
      400,
    );
  if (request.effectiveOn !== undefined && !BusinessDate.safeParse(request.effectiveOn).success)
    throw new ImportError(
      'invalid-effective-on',
      `--effective-on "${request.effectiveOn}" is not a date: give a month (2016-03) or a day (2016-03-31) that exists`,
      undefined,
      400,
    );
  const bytes = typeof request.content === 'string' ? Buffer.from(request.content, 'utf8') : request.content;
  checkSize(bytes, deps.maxBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const options: TextPlanOptions = {
    fileName: request.fileName,
    directory: deps.directory,
    planId: request.planId,
    owner: request.owner,
    title: request.title,
    kind: request.kind,
    effectiveOn: request.effectiveOn,
  };
  const kind = fileKind(bytes, request.fileName);
  let parsed: ParsedDocument;
  let format: DocumentFormat;
  if (kind === 'zip') {
    const pkg = openOfficePackage(bytes, request.fileName);
    format = pkg.kind;
    const source = pkg.kind === 'docx' ? readDocx(pkg, request.fileName) : await readXlsx(bytes, request.fileName);
    const warnings: ParsedDocument['warnings'] = [];
    cleanSourceDocument(source, warnings);
    parsed = readPlan(readStructuredLayout(source, warnings), options, warnings);
  } else {
    if (request.format === 'docx' || request.format === 'xlsx')
      throw new ImportError(
        'not-an-office-file',
        `"${request.fileName}" was sent as ${request.format} but is not a Word document or workbook (it is not a zip file)`,
        undefined,
        415,
      );
    const text = decodeDocument(bytes, deps.maxBytes, kind === 'text' ? 'utf-8' : kind === 'utf16le' ? 'utf-16le' : 'utf-16be');
    format = request.format ?? detectFormat(request.fileName, text);
    parsed = format === 'csv' ? parseCsvPlan(text) : format === 'json' ? parseJsonPlan(text) : parseTextPlan(text, options);
  }
  if (request.planId) parsed.document.plan.planId = request.planId;
  if ((format === 'csv' || format === 'json') && request.owner) parsed.document.plan.owner = request.owner;
  for (const warning of parsed.warnings) warning.location ??= warning.line === undefined ? undefined : `line ${warning.line}`;
  return { ...parsed, format, sha256 };
};
