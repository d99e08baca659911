import { projections } from '../../projections/read-models.ts';
import { toolVersion } from '../tool-version.ts';

/**
 * The release a signed view names as the one that read it: the software's version and its read models' versions. A read
 * model's version moves whenever what its views say of the same events changes (docs/projections.md), which the
 * package's version alone does not tell; `ledger verify-view -d` names a file read by another release among the reasons
 * its answer may differ.
 */
export const viewsRelease = (): string =>
  `${toolVersion().version} (read models ${projections.map((p) => `${p.name} v${p.version}`).join(', ')})`;
