import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceRefused } from '../../src/evidence/evidence-refused.ts';
import { mediaTypeOf } from '../../src/evidence/media-type.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import * as sample from './sample-files.ts';

describe('the media type an evidence file is recorded with', () => {
  const dir = makeTempDir('media-type-');
  afterAll(() => dir.remove());
  let n = 0;
  const typeOf = async (bytes: Buffer, declared?: string) => {
    const file = dir.file(`f${++n}`);
    fs.writeFileSync(file, bytes);
    return mediaTypeOf(file, declared);
  };
  const refusal = async (bytes: Buffer, declared?: string) => {
    const error = await typeOf(bytes, declared).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvidenceRefused);
    expect((error as EvidenceRefused).status).toBe(415);
    return (error as EvidenceRefused).message;
  };

  it('recognises PDF, PNG and JPEG by their content, whatever they are declared as', async () => {
    expect(await typeOf(sample.pdf(), 'text/plain')).toBe('application/pdf');
    expect(await typeOf(sample.png(), 'application/octet-stream')).toBe('image/png');
    expect(await typeOf(sample.jpeg())).toBe('image/jpeg');
  });
  it('recognises DOCX, XLSX and ODT by looking inside the zip', async () => {
    expect(await typeOf(await sample.docx(), 'application/octet-stream')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(await typeOf(await sample.xlsx())).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await typeOf(await sample.odt())).toBe('application/vnd.oasis.opendocument.text');
  });
  it('refuses a macro-enabled document, another OpenDocument type and a plain zip, saying what each is', async () => {
    expect(await refusal(await sample.docm())).toMatch(/macro-enabled/);
    expect(await refusal(await sample.ods())).toMatch(/opendocument.spreadsheet/);
    expect(await refusal(await sample.plainZip())).toMatch(/not a DOCX, XLSX or ODT/);
  });
  it('refuses other recognised types, even declared as accepted ones', async () => {
    expect(await refusal(sample.gif(), 'image/png')).toMatch(/image\/gif/);
  });
  it('takes UTF-8 text as declared, if it is a text type on the list', async () => {
    expect(await typeOf(sample.csv(), 'text/csv')).toBe('text/csv');
    expect(await typeOf(sample.csv(), 'text/plain; charset=UTF-8')).toBe('text/plain');
    expect(await typeOf(sample.eml(), 'message/rfc822')).toBe('message/rfc822');
  });
  it('refuses text that is not UTF-8, text declared as another charset or type, and undeclared text', async () => {
    expect(await refusal(sample.latin1Text(), 'text/plain')).toMatch(/neither a recognised document nor UTF-8 text/);
    expect(await refusal(sample.csv(), 'text/csv; charset=iso-8859-1')).toMatch(/declare text\/plain/);
    expect(await refusal(sample.csv(), 'text/html')).toMatch(/declare text\/plain/);
    expect(await refusal(sample.csv(), 'application/octet-stream')).toMatch(/declare/);
    expect(await refusal(Buffer.from('a\0b'), 'text/plain')).toMatch(/neither/);
  });
});
