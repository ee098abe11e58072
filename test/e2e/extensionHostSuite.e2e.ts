/**
 * The extension-host suite (test/integration), run the way VS Code's own test convention
 * runs it — inside the extension host, beside Patchbay — here in the real code-server: a small
 * runner extension installed in the profile runs it once the window is up and writes what
 * passed and failed to a file this test reads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { packageRunner } from '../integration/packageRunner';
import type { SuiteResult } from '../integration/index';
import { CALL_A_TOOL, FAIL_WITH_AUTH } from '../integration/suite/fakeServerQuestions';
import { FakeModelServer, type ScriptedResponse } from '../support/fakeModelServer';
import { stepsFor } from '../support/wireFormats';
import { codeServerEntry, codeServerNode, createProfile, startCodeServer, type Profile, type RunningCodeServer } from './support/codeServer';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

describe('The extension-host suite, inside the real VS Code', function () {
  let fake: FakeModelServer;
  let profile: Profile | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  let runner: { vsix: string; dir: string } | undefined;
  let workspace: string;

  before(async () => {
    fake = await FakeModelServer.start();
    // The suite's questions that need more than the default answer.
    fake.onChat = (request) => {
      const text = JSON.stringify(request.json);
      if (text.includes(FAIL_WITH_AUTH)) return { status: 401, headers: { 'content-type': 'application/json' }, steps: stepsFor(JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } })) };
      if (text.includes(CALL_A_TOOL)) return toolCallAnswer();
      return undefined;
    };
    workspace = createWorkspace('patchbay-integration-workspace-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    for (const dir of [profile?.root, runner?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
    await tearDown(workspace, fake);
  });

  it('passes every test of the suite (commands, the chat view, language models)', async () => {
    runner = packageRunner();
    profile = createProfile(packagedExtension(), { 'patchbay.discoverLocalServers': false });
    execFileSync(codeServerNode(), [codeServerEntry(), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', runner.vsix], {
      stdio: 'pipe',
      env: { ...process.env, HOME: profile.root },
    });
    const resultFile = path.join(profile.root, 'integration-result.json');
    server = await startCodeServer(profile, { env: { PATCHBAY_INTEGRATION_RESULT: resultFile } });
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, server.url, workspace);
    const deadline = Date.now() + 150_000;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(existsSync(resultFile), 'the suite wrote no result within 150 s');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    for (const title of result.passed) console.log(`      ✔ ${title}`);
    for (const title of result.skipped ?? []) console.log(`      - ${title} (not run in this VS Code)`);
    for (const failure of result.failed) console.log(`      ✗ ${failure.title}\n${failure.error}`);
    assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
    assert.ok(result.passed.length >= 7, `only ${result.passed.length} passed`);
    // The cancellation test runs where VS Code passes a caller's cancellation on (1.127+).
    if (result.passed.some((title) => title.includes('stops streaming when the caller cancels'))) {
      assert.ok(fake.closedByClient >= 1, 'the fake server saw the cancelled request closed');
    }
  });
});

/** An OpenAI stream whose answer is a call of the `weather` tool, as a server sends one. */
function toolCallAnswer(): ScriptedResponse {
  const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const body = [
    chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_w', type: 'function', function: { name: 'weather', arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
    chunk({}, 'tool_calls'),
    'data: [DONE]\n\n',
  ].join('');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(body) };
}
