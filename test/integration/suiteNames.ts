/**
 * What the extension-host suites and the end-to-end tests that run them agree on: which suite
 * the runner runs, and the names the untrusted workspace's suite looks for. No `vscode` here:
 * the end-to-end tests import it in plain Node.
 */
export type SuiteName = 'trusted' | 'untrusted';

/** The environment variable that tells the runner extension which suite to run. */
export const SUITE_VARIABLE = 'PATCHBAY_INTEGRATION_SUITE';

export const UNTRUSTED_SUITE = {
  /** An endpoint in the user's settings. */
  userEndpoint: 'user-fake',
  /** An endpoint in the workspace's .patchbay/config.yaml. */
  workspaceEndpoint: 'workspace-fake',
  /** An operation of the user's global OpenAPI plugin (the workspace's has none of that name). */
  userOperation: 'listStock',
  /** The operations of the workspace's OpenAPI plugin. */
  workspaceOperations: ['listItems', 'getItem', 'addItem', 'deleteItem'],
} as const;
