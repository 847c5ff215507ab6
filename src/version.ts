import { version } from '../package.json';

/** This package's version, from its package.json (the build inlines it). */
export const VERSION: string = version;

/** What a findings document names as its maker (`run.generator`), e.g. "nps-gaming 0.1.0". */
export const GENERATOR = `nps-gaming ${VERSION}`;
