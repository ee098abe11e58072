/**
 * The closed lists of the plugin API's problem kinds and recovery actions, for run-time
 * checks. The API file holds only type declarations (it ships as a .d.ts), so it stays the
 * source of the types, and each list here must name every member: leaving one out, or adding
 * one the API does not have, fails to compile.
 */
import type { ProblemKind, RecoveryActionId } from './api';

type Missing<T, List extends readonly T[]> = Exclude<T, List[number]>;

/** The list itself, typed as exactly its members, if it names every member of T. */
function everyMemberOf<T>() {
  return <const List extends readonly T[]>(list: List & ([Missing<T, List>] extends [never] ? unknown : { missing: Missing<T, List> })): List => list;
}

export const PROBLEM_KINDS = everyMemberOf<ProblemKind>()([
  'connection', 'auth', 'model-not-found', 'rate-limited', 'server', 'stalled', 'interrupted', 'wrong-endpoint',
  'bad-request', 'busy', 'cancelled', 'token-limit', 'plugin', 'config', 'unknown',
]);

export const RECOVERY_ACTIONS = everyMemberOf<RecoveryActionId>()([
  'retry', 'continue', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs',
]);
