/** Types of src/bundle/command-bundle.js, plain JavaScript as npm's postinstall runs it without tsx. */
import type { BundlePlace } from './bundled-module.js';

/** `reused`: the bundle already built from the sources as they are was kept. */
export type BuildOutcome = { built: true; reused?: true; files: number; folder: string } | { built: false; reason: string };
export declare const buildBundle: (place?: BundlePlace) => Promise<BuildOutcome>;
/** Builds the bundle and prints one line saying what it did; never throws. */
export declare const reportBuild: () => Promise<void>;
