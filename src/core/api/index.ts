/** Patchbay's public plugin API: the only types a plugin author needs. */
export type * from './providers';
export type * from './plugin';
export type { ProblemKind, ProblemDetails, RecoveryActionId } from '../errors';
