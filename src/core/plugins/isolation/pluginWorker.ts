/**
 * The plugin worker (the entry of a `worker_threads` Worker, bundled as dist/pluginWorker.js).
 * It holds the plugins of one source, each in a lane of its own (workerLane.ts), and answers
 * the host's heartbeat. A plugin may compute, block or crash here: only this thread stops,
 * never the extension host's; the host can always read whose code runs, so when the thread
 * stops answering it knows which plugin to stop and which to move.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { KindLoader } from '../pluginRuntimeDeps';
import { toCrossingError } from './crossingErrors';
import type { PluginFunction } from './workerDescriptors';
import { WorkerLane, type LaneServices } from './workerLane';
import type { HostToWorker } from './workerMessages';
import { WorkerOutbox } from './workerOutbox';

const port = parentPort;
if (!port) throw new Error('pluginWorker.ts runs only as a worker thread');
const outbox = new WorkerOutbox(port);

const handles = new Map<number, PluginFunction>();
const hostRequests = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
const lanes = new Map<number, WorkerLane>();
let nextNumber = 1;

/**
 * Which lane's code runs now, in memory the host reads when this thread stops answering: set
 * when a step or call enters a plugin, and before every callback (a timer, a promise's
 * continuation) to the lane that scheduled it, so a loop after an `await` is blamed rightly.
 */
const runningLane = new Int32Array((workerData as { runningLane: SharedArrayBuffer }).runningLane);
const laneOfCode = new AsyncLocalStorage<number>();
createHook({
  before() {
    const lane = laneOfCode.getStore();
    if (lane !== undefined) Atomics.store(runningLane, 0, lane);
  },
}).enable();

/** How this worker prepares a plugin of another kind than code (an OpenAPI spec); set by the bundle's entry. */
let prepareKind: KindLoader | undefined;

export function preparesKind(loader: KindLoader): void {
  prepareKind = loader;
}

const services: LaneServices = {
  send: (lane, message) => outbox.send(lane, message),
  entering: (lane) => Atomics.store(runningLane, 0, lane),
  keep: (fn) => {
    const handle = nextNumber++;
    handles.set(handle, fn);
    return { handle };
  },
  handle: (handle) => handles.get(handle),
  newNumber: () => nextNumber++,
  askHost: (lane, request) => {
    const id = nextNumber++;
    return new Promise((resolve, reject) => {
      hostRequests.set(id, { resolve, reject });
      outbox.send(lane, { type: 'request', id, ...request });
    });
  },
  prepareKind: () => prepareKind,
};

// The extension host logs what a plugin leaves unhandled and carries on; so does its worker,
// on the lane whose code ran last (the likeliest author).
const logUnhandled = (what: string) => (reason: unknown) => {
  lanes.get(Atomics.load(runningLane, 0))?.log.error(`${what}: ${toCrossingError(reason).message}`);
};
process.on('unhandledRejection', logUnhandled('unhandled rejection'));
process.on('uncaughtException', logUnhandled('uncaught exception'));

port.on('message', (envelope: HostToWorker) => {
  if (envelope.type === 'ping') return outbox.post({ type: 'pong' });
  const { lane, message } = envelope;
  if (message.type === 'reply') {
    const waiting = hostRequests.get(message.id);
    hostRequests.delete(message.id);
    if (message.ok) waiting?.resolve(message.value);
    else waiting?.reject(new Error(message.error.message));
    return;
  }
  let target = lanes.get(lane);
  if (!target) lanes.set(lane, (target = new WorkerLane(lane, services)));
  const receiving = target;
  // What the plugin's code schedules from here on is its lane's.
  laneOfCode.run(lane, () => receiving.receive(message));
  // A lane that has deactivated is gone; its handles stay until the worker ends (they are few).
  if (message.type === 'deactivate') lanes.delete(lane);
});
