/** Types of src/bundle/command-bundle.js, which stays plain JavaScript so that bin/ledger.js can load it without tsx. */
export interface BundlePlace {
  /** The repository whose src/cli/main.ts is bundled. */
  root?: string;
  /** Where the bundle and its manifest are kept. */
  cache?: string;
}
/** `reused`: the bundle already built from the sources as they are was kept. */
export type BuildOutcome = { built: true; reused?: true; files: number; folder: string } | { built: false; reason: string };
export declare const bundledModule: (sourceUrl: string, place?: BundlePlace) => string | undefined;
export declare const freshBundle: (place?: BundlePlace) => string | undefined;
export declare const buildBundle: (place?: BundlePlace) => Promise<BuildOutcome>;
/** Builds the bundle and prints one line saying what it did; never throws. */
export declare const reportBuild: () => Promise<void>;
