import fs from 'node:fs';

/** This build's name and version, from package.json: what a backup manifest records as the tool that made it. */
export const toolVersion = (): { name: string; version: string } => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
};
