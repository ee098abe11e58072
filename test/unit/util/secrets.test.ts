import assert from 'node:assert/strict';
import { ApiKeyStore } from '../../../src/core/providers/apiKeys';
import type { SecretPort } from '../../../src/core/ports';
import { Redactor } from '../../../src/core/util/redactor';

function memorySecrets(): SecretPort & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (key) => data.get(key),
    store: async (key, value) => void data.set(key, value),
    delete: async (key) => void data.delete(key),
  };
}

describe('API keys are bound to the origin they were saved for', () => {
  it('gives the key to any endpoint on the same origin and to no other', async () => {
    const store = new ApiKeyStore(memorySecrets());
    await store.set('https://lab.example:8443/v1', 'sk-lab-secret-123');
    assert.equal(await store.get('https://lab.example:8443/v1'), 'sk-lab-secret-123');
    assert.equal(await store.get('https://lab.example:8443/other/path'), 'sk-lab-secret-123');
    assert.equal(await store.get('http://lab.example:8443/v1'), undefined, 'another scheme');
    assert.equal(await store.get('https://lab.example:9443/v1'), undefined, 'another port');
    assert.equal(await store.get('https://evil.example/v1'), undefined, 'another host');
    assert.equal(await store.get('https://lab.example.evil.example:8443/v1'), undefined, 'a look-alike host');
  });

  it('deletes and reports every key it hands out so logs can redact it', async () => {
    const seen: string[] = [];
    const secrets = memorySecrets();
    const store = new ApiKeyStore(secrets, (key) => seen.push(key));
    await store.set('http://127.0.0.1:8000/v1', 'key-one');
    await store.get('http://127.0.0.1:8000/v1');
    assert.deepEqual(seen, ['key-one', 'key-one']);
    await store.delete('http://127.0.0.1:8000');
    assert.equal(secrets.data.size, 0);
  });
});

describe('Redactor', () => {
  it('removes remembered secrets and key-shaped strings', () => {
    const redactor = new Redactor();
    redactor.remember('my-local-key-42');
    const text = [
      'sent my-local-key-42 to the server',
      'Authorization: Bearer abcdefghijklmnop',
      '{"authorization":"Basic Zm9vOmJhcg=="}',
      'key sk-proj-ABCDEFGHIJKLMNOP leaked',
      'GET /search?q=x&api_key=12345678&page=2',
    ].join('\n');
    const redacted = redactor.redact(text);
    for (const secret of ['my-local-key-42', 'abcdefghijklmnop', 'Zm9vOmJhcg==', 'ABCDEFGHIJKLMNOP', '12345678']) {
      assert.ok(!redacted.includes(secret), `${secret} survived in: ${redacted}`);
    }
    assert.match(redacted, /page=2/);
    assert.match(redacted, /sent \[redacted\] to the server/);
  });

  it('leaves ordinary text alone', () => {
    assert.equal(new Redactor().redact('Could not connect to LM Studio at http://127.0.0.1:1234/v1'), 'Could not connect to LM Studio at http://127.0.0.1:1234/v1');
  });
});
