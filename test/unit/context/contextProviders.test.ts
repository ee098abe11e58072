import assert from 'node:assert/strict';
import type { ContextProviderDefinition } from '../../../src/core/api';
import { ContextProviders, COMPLETE_TIMEOUT_MS, MAX_CONTEXT_CHARACTERS, RESOLVE_TIMEOUT_MS, type ContextApprovalQuestion, type ContextProvidersDeps } from '../../../src/core/context/contextProviders';
import { PatchbayError } from '../../../src/core/errors';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { silentLogger } from '../../../src/core/ports';
import { alwaysAllowKey } from '../../../src/core/tools/alwaysAllowed';
import type { ToolDecision } from '../../../src/core/tools/toolDecision';
import { defaultApprovalRules, type ToolApprovalRules, type WorkspaceApprovalRules } from '../../../src/core/tools/toolPolicy';
import { ManualClock } from '../../support/manualClock';

const provider = (name: string, extra: Partial<ContextProviderDefinition> = {}): ContextProviderDefinition => ({
  name,
  description: `the ${name} provider`,
  resolve: async (query) => ({ title: `${name} for ${query}`, text: `text of ${query}` }),
  ...extra,
});

interface Harness {
  registry: ContributionRegistry;
  context: ContextProviders;
  failed: { pluginId: string; error: unknown }[];
  asked: ContextApprovalQuestion[];
  remembered: string[];
  clock: ManualClock;
}

function harness(options: { rules?: ToolApprovalRules; workspaceRules?: WorkspaceApprovalRules; answer?: ToolDecision; alwaysAllowed?: string[]; noAsking?: boolean } = {}): Harness {
  const registry = new ContributionRegistry();
  const failed: Harness['failed'] = [];
  const asked: ContextApprovalQuestion[] = [];
  const remembered: string[] = [];
  const clock = new ManualClock();
  const deps: ContextProvidersDeps = {
    registry,
    callRules: { loggerFor: () => silentLogger, signalOf: () => undefined, fail: (pluginId, error) => failed.push({ pluginId, error }), timeoutMs: 30_000, clock },
    approval: () => ({ rules: options.rules ?? defaultApprovalRules, ...(options.workspaceRules ? { workspaceRules: options.workspaceRules } : {}) }),
    alwaysAllowed: () => new Set(options.alwaysAllowed ?? []),
    rememberAlwaysAllowed: (key) => remembered.push(key),
    loadedPlugin: (id) => ({ source: 'global', location: `/plugins/${id}` }),
    ...(options.noAsking ? {} : { askApproval: async (question: ContextApprovalQuestion) => (asked.push(question), options.answer ?? 'once') }),
  };
  return { registry, context: new ContextProviders(deps), failed, asked, remembered, clock };
}

const fetching = (method = 'GET') => provider('url', { describeResolve: (query) => ({ method, url: query }) });

describe('context providers', () => {
  describe('registry', () => {
    it('lists each provider under its name, and one two plugins share as plugin.name', () => {
      const { registry, context } = harness();
      registry.register('contextProvider', 'git-context', provider('git', { queryHint: 'nothing' }));
      registry.register('contextProvider', 'alpha', provider('issue'));
      registry.register('contextProvider', 'beta', provider('issue'));
      assert.deepEqual(context.list(), [
        { name: 'alpha.issue', description: 'the issue provider', plugin: 'alpha' },
        { name: 'beta.issue', description: 'the issue provider', plugin: 'beta' },
        { name: 'git', description: 'the git provider', plugin: 'git-context', queryHint: 'nothing' },
      ]);
      assert.deepEqual(registry.contributionsOf('git-context'), ['context provider git']);
    });

    it('refuses a definition with a bad name or a missing function, naming the field', () => {
      const registry = new ContributionRegistry();
      assert.throws(() => registry.register('contextProvider', 'p', provider('two words')), /context provider "two words": "name" must match/);
      assert.throws(() => registry.register('contextProvider', 'p', { ...provider('x'), resolve: 'no' } as unknown as ContextProviderDefinition), /"resolve" must be a function/);
      assert.throws(() => registry.register('contextProvider', 'p', { ...provider('x'), complete: 3 } as unknown as ContextProviderDefinition), /"complete" must be a function/);
      assert.throws(() => registry.register('contextProvider', 'p', { ...provider('x'), description: '' }), /"description" must be a non-empty string/);
    });
  });

  describe('resolve', () => {
    it('turns what the provider returns into a chip attachment, its uri in the label, long text cut', async () => {
      const { registry, context } = harness();
      registry.register('contextProvider', 'p', provider('page', { resolve: async (query) => ({ title: 'A page', uri: `https://example.test/${query}`, language: 'markdown', text: 'x'.repeat(MAX_CONTEXT_CHARACTERS + 5) }) }));
      const attachment = await context.resolve('page', 'one');
      assert.equal(attachment.kind, 'plugin');
      assert.equal(attachment.label, 'A page (https://example.test/one)');
      assert.equal(attachment.language, 'markdown');
      assert.ok(attachment.text.startsWith('x'.repeat(MAX_CONTEXT_CHARACTERS)));
      assert.match(attachment.text, /the rest \(5 characters\) is left out/);
    });

    it('a provider that throws gives a clear error naming the mention; its plugin keeps running', async () => {
      const { registry, context, failed } = harness();
      registry.register('contextProvider', 'p', provider('issue', { resolve: async () => { throw new Error('issue 123 does not exist'); } }));
      await assert.rejects(context.resolve('issue', '123'), (error: unknown) => {
        assert.ok(error instanceof PatchbayError);
        assert.equal(error.message, '@issue 123 was not added: issue 123 does not exist');
        return true;
      });
      assert.deepEqual(failed, []);
    });

    it('a provider that returns the wrong shape is refused with what was wrong', async () => {
      const { registry, context } = harness();
      registry.register('contextProvider', 'p', provider('bad', { resolve: async () => ({ text: 'no title' }) as never }));
      await assert.rejects(context.resolve('bad', ''), /@bad was not added: plugin "p" returned no "title"/);
    });

    it('a provider that hangs is given up on after 30 s and its plugin is marked failed', async () => {
      const { registry, context, failed, clock } = harness();
      registry.register('contextProvider', 'slow', provider('slow', { resolve: () => new Promise(() => undefined) }));
      const resolving = context.resolve('slow', 'q');
      resolving.catch(() => undefined);
      await clock.advanceWhenDue(RESOLVE_TIMEOUT_MS);
      await assert.rejects(resolving, /@slow q was not added: @slow of plugin "slow" did not finish within 30 s/);
      assert.equal(failed.length, 1);
      assert.equal(failed[0]?.pluginId, 'slow');
    });

    it('an unknown name says the provider is gone', async () => {
      const { context } = harness();
      await assert.rejects(context.resolve('nothing', ''), /There is no context provider @nothing/);
    });
  });

  describe('complete', () => {
    it('returns the well-formed suggestions', async () => {
      const { registry, context } = harness();
      registry.register('contextProvider', 'p', provider('issue', { complete: (query) => [{ query: `${query}1`, label: 'Issue one' }, { nope: true } as never, { query: `${query}2` }] }));
      assert.deepEqual(await context.suggest('issue', '12'), [{ query: '121', label: 'Issue one' }, { query: '122' }]);
    });

    it('a provider without complete, or one that throws, suggests nothing', async () => {
      const { registry, context, failed } = harness();
      registry.register('contextProvider', 'p', provider('plain'));
      registry.register('contextProvider', 'p', provider('broken', { complete: () => { throw new Error('boom'); } }));
      assert.deepEqual(await context.suggest('plain', 'x'), []);
      assert.deepEqual(await context.suggest('broken', 'x'), []);
      assert.deepEqual(failed, []);
    });

    it('a complete that hangs ends after 10 s with no suggestions, and its plugin is marked failed', async () => {
      const { registry, context, failed, clock } = harness();
      registry.register('contextProvider', 'stuck', provider('stuck', { complete: () => new Promise(() => undefined) }));
      const suggesting = context.suggest('stuck', 'x');
      await clock.advanceWhenDue(COMPLETE_TIMEOUT_MS);
      assert.deepEqual(await suggesting, []);
      assert.deepEqual(failed.map((item) => item.pluginId), ['stuck']);
    });
  });

  describe('approval of a provider that fetches', () => {
    it('asks before fetching when the rules say ask, and resolves when allowed once', async () => {
      const { registry, context, asked, remembered } = harness({ answer: 'once' });
      registry.register('contextProvider', 'url-context', fetching());
      const attachment = await context.resolve('url', 'https://example.test/a');
      assert.equal(attachment.label, 'url for https://example.test/a');
      assert.deepEqual(asked, [{ mention: '@url', plugin: 'url-context', method: 'GET', url: 'https://example.test/a', canAlwaysAllow: true }]);
      assert.deepEqual(remembered, []);
    });

    it('refuses when the user denies, without resolving', async () => {
      let resolved = false;
      const { registry, context } = harness({ answer: 'deny' });
      registry.register('contextProvider', 'url-context', provider('url', { describeResolve: (query) => ({ method: 'GET', url: query }), resolve: async () => ((resolved = true), { title: 't', text: '' }) }));
      await assert.rejects(context.resolve('url', 'https://example.test/a'), /@url https:\/\/example\.test\/a was not added: you did not allow GET https:\/\/example\.test\/a/);
      assert.equal(resolved, false);
    });

    it('"always" is remembered for the plugin, and then not asked again', async () => {
      const first = harness({ answer: 'always' });
      first.registry.register('contextProvider', 'url-context', fetching());
      await first.context.resolve('url', 'https://example.test/a');
      const key = alwaysAllowKey({ source: 'global', location: '/plugins/url-context' }, 'url-context.url');
      assert.deepEqual(first.remembered, [key]);
      const second = harness({ alwaysAllowed: [key] });
      second.registry.register('contextProvider', 'url-context', fetching());
      await second.context.resolve('url', 'https://example.test/b');
      assert.deepEqual(second.asked, []);
    });

    it('the user\'s deny and allow rules hold without asking; a workspace may only make it stricter', async () => {
      const denied = harness({ rules: { ...defaultApprovalRules, deny: ['url-context.*'] } });
      denied.registry.register('contextProvider', 'url-context', fetching());
      await assert.rejects(denied.context.resolve('url', 'https://example.test/a'), /denied by toolApproval\.deny in config\.yaml \(as "url-context\.url"\)/);
      assert.deepEqual(denied.asked, []);

      const allowed = harness({ rules: { ...defaultApprovalRules, allow: ['url-context.url'] } });
      allowed.registry.register('contextProvider', 'url-context', fetching());
      await allowed.context.resolve('url', 'https://example.test/a');
      assert.deepEqual(allowed.asked, []);

      const workspaceLoosens = harness({ workspaceRules: { default: 'allow', allow: [], deny: [] } });
      workspaceLoosens.registry.register('contextProvider', 'url-context', fetching());
      await workspaceLoosens.context.resolve('url', 'https://example.test/a');
      assert.equal(workspaceLoosens.asked.length, 1, 'a workspace cannot make fetching run without asking');

      const workspaceDenies = harness({ rules: { ...defaultApprovalRules, default: 'allow' }, workspaceRules: { allow: [], deny: ['url-context.url'] } });
      workspaceDenies.registry.register('contextProvider', 'url-context', fetching());
      await assert.rejects(workspaceDenies.context.resolve('url', 'https://example.test/a'), /denied by toolApproval\.deny in the workspace's config\.yaml/);
    });

    it('with nobody to ask, a request the rules ask about is refused', async () => {
      const { registry, context } = harness({ noAsking: true });
      registry.register('contextProvider', 'url-context', fetching('GET'));
      await assert.rejects(context.resolve('url', 'https://example.test/a'), /you did not allow GET/);
    });
  });
});
