/** Types of src/bundle/bundled-module.js, which stays plain JavaScript so that bin/ledger.js can load it without tsx. */
export interface BundlePlace {
  /** The repository whose sources are bundled. */
  root?: string;
  /** Where the bundle and its manifest are kept. */
  cache?: string;
}
export interface Manifest {
  build: string;
  entries: string[];
  inputs: Record<string, string>;
}
export declare const repositoryRoot: string;
export declare const defaultCache: string;
export declare const MAIN: string;
export declare const stampOf: (file: string) => string;
export declare const readManifest: (cache: string) => Manifest;
export declare const freshManifest: (root: string, cache: string) => Manifest | undefined;
export declare const bundledModule: (sourceUrl: string, place?: BundlePlace) => string | undefined;
export declare const freshBundle: (place?: BundlePlace) => string | undefined;
export declare const importSourceModule: (sourceUrl: string) => Promise<Record<string, unknown>>;
