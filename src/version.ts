// (a default import with the attribute: Node and the notebooks' Deno refuse named imports of JSON)
import pkg from '../package.json' with { type: 'json' };

/** This package's version, from its package.json (the build inlines it). */
export const VERSION: string = pkg.version;

/** What a findings document names as its maker (`run.generator`), e.g. "nps-gaming 0.1.0". */
export const GENERATOR = `nps-gaming ${VERSION}`;
