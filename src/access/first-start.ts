import type { ApiKeyRecord, KeyStore } from './port.ts';

/**
 * On the very first start there is no way in: so the service makes one admin key, prints
 * it once (to the terminal, never to the JSON log, which is shipped and kept), and keeps
 * only its hash. The admin then creates keys for the people who read and write plans.
 */
export const ensureFirstAdminKey = async (
  keys: KeyStore,
  organisation: string,
  print: (text: string) => void,
): Promise<ApiKeyRecord | undefined> => {
  const created = await keys.createIfNone({ name: 'First administrator', role: 'admin', organisation, createdBy: 'first-start' });
  if (!created) return undefined;
  print(
    [
      '',
      'No API keys existed, so an admin key was created. It is shown only this once; store it safely:',
      '',
      `  ${created.key}`,
      '',
      `Key id ${created.record.keyId}. Use it to create keys for other people:`,
      `  curl -X POST -H "Authorization: Bearer <key>" -H "content-type: application/json" \\`,
      `    -d '{"name":"Jo Bloggs","role":"plan-manager","organisation":"Dorset CCG"}' <url>/admin/keys`,
      `or on this machine: ledger keys create --name "Jo Bloggs" --role plan-manager --organisation "Dorset CCG"`,
      '',
    ].join('\n'),
  );
  return created.record;
};
