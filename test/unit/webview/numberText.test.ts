import assert from 'node:assert/strict';
import { formatCount } from '../../../src/webview/view/numberText';

describe('formatCount', () => {
  it('groups thousands with commas, as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 999999, 1234567, 10_000_000_000, -4321]) {
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
    }
  });

  it('rounds to a whole number and copes with what is not one', () => {
    assert.equal(formatCount(1234.6), '1,235');
    assert.equal(formatCount(Number.NaN), '0');
    assert.equal(formatCount(Number.POSITIVE_INFINITY), '0');
  });
});
