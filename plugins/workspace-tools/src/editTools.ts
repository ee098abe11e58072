/**
 * `propose_edit` and `create_file`: the model proposes, the user decides. Nothing is written
 * by the tool: the editor shows the change in a diff and the user accepts or rejects it. The
 * tool answers as soon as the proposal is shown, so the tool's time limit never runs while
 * the user reads the diff; the decision is shown on the call's card and kept with the
 * conversation.
 */
import type { CallContext, EditProposalReceipt, PluginContext, ProposedFileChange } from '../../../src/core/api';

const PATH_DESCRIPTION = 'The file, relative to the workspace folder (e.g. "src/app.ts").';

export function registerEditTools(context: PluginContext): void {
  const propose = async (change: ProposedFileChange, call: CallContext): Promise<string> => {
    const receipt = await context.services.workspace.proposeEdit(change);
    call.showProposal?.(receipt.id);
    return proposedMessage(receipt, 'create' in change ? 'the new file' : 'the change');
  };

  context.registerTool({
    name: 'propose_edit',
    description:
      'Proposes a change to one existing file of the workspace; the user reviews it in a diff and accepts or rejects it (nothing is written until they accept). ' +
      'Give either "edits" (search/replace pairs: each "search" is text copied exactly from the file, matching exactly once; include enough lines to be unique) ' +
      'or "diff" (a unified diff of this one file, with context lines).',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: PATH_DESCRIPTION },
        edits: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { search: { type: 'string', description: 'Exact text of the file to replace.' }, replace: { type: 'string', description: 'The text to put in its place.' } },
            required: ['search', 'replace'],
            additionalProperties: false,
          },
        },
        diff: { type: 'string', description: 'A unified diff of this file ("@@ -a,b +c,d @@" hunks with context).' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    requiresTrustedWorkspace: true,
    async invoke(args, call) {
      const path = String(args.path);
      const { edits, diff } = args as { edits?: { search: string; replace: string }[]; diff?: string };
      if ((edits === undefined) === (diff === undefined)) throw new Error('give either "edits" or "diff" (exactly one of them)');
      return propose(edits !== undefined ? { path, edits } : { path, diff: diff as string }, call);
    },
  });

  context.registerTool({
    name: 'create_file',
    description: 'Proposes a new file in the workspace with the given content; the user reviews it and accepts or rejects it (nothing is written until they accept). For a file that exists, use propose_edit.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: PATH_DESCRIPTION }, content: { type: 'string', description: 'The whole text of the new file.' } },
      required: ['path', 'content'],
      additionalProperties: false,
    },
    requiresTrustedWorkspace: true,
    async invoke(args, call) {
      return propose({ path: String(args.path), content: String(args.content), create: true }, call);
    },
  });
}

function proposedMessage(receipt: EditProposalReceipt, what: string): string {
  return `Proposed ${what} to ${receipt.path} (${receipt.summary}) to the user for review; they will accept or reject it. It is not applied yet: do not assume it is, and do not propose the same change again.`;
}
