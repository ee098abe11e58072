import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';

describe('parseConfig', () => {
  it('reads a valid providers list', () => {
    const { config, problems } = parseConfig('providers:\n  - id: lab-vllm\n    type: openai-compatible\n    baseUrl: http://127.0.0.1:8000/v1\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(config, { providers: [{ id: 'lab-vllm', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' }] });
  });

  it('treats an empty file as an empty config', () => {
    const { config, problems } = parseConfig('');
    assert.deepEqual({ config, problems }, { config: {}, problems: [] });
  });

  it('reports YAML syntax errors with their line and column and yields no config', () => {
    const { config, problems } = parseConfig('providers:\n  - id: a\n   type: [unclosed\n');
    assert.equal(config, undefined);
    assert.ok(problems.length > 0);
    assert.equal(problems[0]?.severity, 'error');
    assert.ok((problems[0]?.line ?? 0) >= 2, JSON.stringify(problems));
  });

  it('locates a missing field at the entry that lacks it', () => {
    const { config, problems } = parseConfig('providers:\n  - id: lab\n    baseUrl: http://x:1/v1\n');
    assert.equal(config, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.message, 'providers[0]: missing "type"');
    assert.equal(problems[0]?.line, 2);
    assert.equal(problems[0]?.column, 5);
  });

  it('underlines an unknown key and lists the known ones', () => {
    const { problems } = parseConfig('provider:\n  - id: x\n');
    assert.equal(problems[0]?.message, 'unknown key "provider" (expected one of: providers, plugins, tools, toolApproval, toolCalling, mcpServers, models)');
    assert.deepEqual([problems[0]?.line, problems[0]?.column, problems[0]?.endColumn], [1, 1, 9]);
  });

  it('explains a base URL that is not http(s) at the value', () => {
    const { problems } = parseConfig('providers:\n  - id: a\n    type: ollama\n    baseUrl: localhost:11434\n');
    assert.equal(problems[0]?.message, 'providers[0].baseUrl: must be an http:// or https:// URL');
    assert.equal(problems[0]?.line, 4);
    assert.equal(problems[0]?.column, 14);
  });

  it('rejects a duplicate provider id at the second one', () => {
    const text = 'providers:\n  - id: a\n    type: ollama\n    baseUrl: http://h:1\n  - id: a\n    type: ollama\n    baseUrl: http://h:2\n';
    const { config, problems } = parseConfig(text);
    assert.equal(config, undefined);
    assert.equal(problems[0]?.message, 'providers[1].id: "a" is used by an earlier provider');
    assert.equal(problems[0]?.line, 5);
  });

  it('says when the top level is not a mapping', () => {
    assert.equal(parseConfig('- a\n- b\n').problems[0]?.message, 'config: must be an object');
  });
});
