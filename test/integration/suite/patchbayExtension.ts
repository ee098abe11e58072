import * as vscode from 'vscode';

export const PATCHBAY_ID = 'patchbay.patchbay';

/** Patchbay as installed beside the suite. */
export function patchbay(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(PATCHBAY_ID);
  if (!extension) throw new Error(`${PATCHBAY_ID} is not installed in this VS Code`);
  return extension;
}
