import assert from 'node:assert/strict';
import { restoredBlockSize } from '../../../src/webview/render/parkedBlocks';
import { residencyStep, type TurnResidency } from '../../../src/webview/view/offscreenTurns';

function turn(facts: Partial<Omit<TurnResidency, 'inUse'>> & { inUse?: boolean }): TurnResidency {
  return { near: true, parked: false, settled: true, ...facts, inUse: () => facts.inUse ?? false };
}

describe('parking answers far off screen', () => {
  it('parks a finished answer once it is far away, and renders it again when it comes near', () => {
    assert.equal(residencyStep(turn({ near: false })), 'park');
    assert.equal(residencyStep(turn({ near: true, parked: true })), 'restore');
  });

  it('leaves near answers, parked far ones and answers still streaming or rendering alone', () => {
    assert.equal(residencyStep(turn({ near: true })), 'stay');
    assert.equal(residencyStep(turn({ near: false, parked: true })), 'stay');
    assert.equal(residencyStep(turn({ near: false, settled: false })), 'stay');
  });

  it('keeps an answer that holds keyboard focus or part of a selection, however far', () => {
    assert.equal(residencyStep(turn({ near: false, inUse: true })), 'stay');
  });

  it('sizes each block rendered again at its old height until it is laid out', () => {
    assert.deepEqual([0, 1, 2].map((index) => restoredBlockSize([120, 48], index)), ['auto 120px', 'auto 48px', undefined]);
  });

  it('gives no size for a height it cannot use', () => {
    assert.deepEqual([0, 1].map((index) => restoredBlockSize([0, Number.NaN], index)), [undefined, undefined]);
  });
});
