import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrganisationDirectory, type OrganisationDirectory } from '../organisations/organisation-directory.ts';

/** The shipped alias table, then the one imports extend in the data dir. */
export const organisationDirectoryFor = (dataDir: string): OrganisationDirectory =>
  loadOrganisationDirectory([
    fileURLToPath(new URL('../../config/organisation-aliases.json', import.meta.url)),
    path.join(dataDir, 'organisation-aliases.json'),
  ]);
