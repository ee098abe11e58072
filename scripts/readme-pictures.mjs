// Copies the README's pictures from the last end-to-end run (.test-output/e2e, written by
// `npm test`) into media/readme, so the pictures show what the real VS Code showed.
//   npm run readme-pictures
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const shots = path.join(root, '.test-output', 'e2e');
const target = path.join(root, 'media', 'readme');

/** README picture ← the end-to-end test's screenshot (the test that takes it in brackets). */
export const README_PICTURES = {
  'chat.png': 'readme-chat.png', // chat.e2e.ts: a thinking model's reasoning collapsed above its answer
  'no-models.png': 'first-run-no-models.png', // firstRun.e2e.ts: where Patchbay looked for servers
  'walkthrough.png': 'walkthrough.png', // walkthrough.e2e.ts
  'tool-approval.png': '20-tool-approval-card.png', // tools.e2e.ts: the approval card
  'plugins-view.png': '13-plugins-view.png', // plugins.e2e.ts: the Plugins view
  'config-problem.png': '14-config-problem.png', // plugins.e2e.ts: a config mistake in Problems
  'images.png': '40-image-chip.png', // images.e2e.ts: a pasted image as a chip with its thumbnail
  'proposed-edit.png': '50-proposed-edit-diff.png', // workspaceEdits.e2e.ts: a proposed change in the diff editor beside its card
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  mkdirSync(target, { recursive: true });
  const missing = Object.values(README_PICTURES).filter((shot) => !existsSync(path.join(shots, shot)));
  if (missing.length > 0) {
    console.error(`Run \`npm test\` first: the end-to-end run has not written ${missing.join(', ')} in ${shots}.`);
    process.exit(1);
  }
  for (const [picture, shot] of Object.entries(README_PICTURES)) copyFileSync(path.join(shots, shot), path.join(target, picture));
  console.log(`${Object.keys(README_PICTURES).length} pictures copied into ${path.relative(root, target)}`);
}
