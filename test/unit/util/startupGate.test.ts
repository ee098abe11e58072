import assert from 'node:assert/strict';
import { StartupGate } from '../../../src/core/util/startupGate';
import { ManualClock } from '../../support/manualClock';

const GRACE_MS = 1_000;
const MAX_WAIT_MS = 5_000;

/** Whether the gate has opened once pending promise callbacks have run. */
async function isOpen(gate: StartupGate): Promise<boolean> {
  let open = false;
  void gate.whenOpen().then(() => (open = true));
  await new Promise((resolve) => setImmediate(resolve));
  return open;
}

describe('StartupGate: work VS Code asks for on its own waits for the chat’s first paint', () => {
  let clock: ManualClock;
  let gate: StartupGate;

  beforeEach(() => {
    clock = new ManualClock();
    gate = new StartupGate({ clock, graceMs: GRACE_MS, maxWaitMs: MAX_WAIT_MS });
  });

  afterEach(() => gate.dispose());

  it('stays closed at activation and opens once the grace passes when no chat view opens', async () => {
    assert.equal(await isOpen(gate), false);
    clock.advance(GRACE_MS - 1);
    assert.equal(await isOpen(gate), false);
    clock.advance(1);
    assert.equal(await isOpen(gate), true);
  });

  it('opens at once when the chat has painted (or the user asked for something)', async () => {
    gate.release();
    assert.equal(await isOpen(gate), true);
    assert.deepEqual(clock.pendingDelays(), []);
  });

  it('while a chat view is opening, waits past the grace for its paint', async () => {
    clock.advance(100);
    gate.viewOpening();
    clock.advance(GRACE_MS);
    assert.equal(await isOpen(gate), false);
    gate.release();
    assert.equal(await isOpen(gate), true);
  });

  it('opens after the longest wait when an opening chat view never paints', async () => {
    gate.viewOpening();
    clock.advance(MAX_WAIT_MS - 1);
    assert.equal(await isOpen(gate), false);
    clock.advance(1);
    assert.equal(await isOpen(gate), true);
  });

  it('leaves no timer behind once disposed', () => {
    gate.dispose();
    assert.deepEqual(clock.pendingDelays(), []);
  });
});
