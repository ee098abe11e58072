/**
 * The worker's side of the port: what its plugins say to the host, in order. Registrations
 * travel in batches: each message costs the host's thread a few microseconds to receive, all
 * of them in one go, so a spec's thousand tools sent one by one would block it for tens of
 * milliseconds. Any other message sends the batch first, to keep the order.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LaneEnvelope, LaneReport, WorkerToHost } from './workerMessages';

const BATCH = 200;

export class WorkerOutbox {
  private batch: LaneEnvelope[] = [];

  constructor(private readonly port: MessagePort) {}

  /** A lane's message: registrations wait for their batch, anything else goes at once. */
  send(lane: number, message: LaneReport): void {
    if (message.type === 'register' || message.type === 'unregister') {
      this.batch.push({ lane, message });
      if (this.batch.length >= BATCH) this.flush();
      else if (this.batch.length === 1) queueMicrotask(() => this.flush());
      return;
    }
    this.post({ type: 'lane', lane, message });
  }

  /** The worker's own messages (its heartbeat, which lane's code runs next). */
  post(message: WorkerToHost): void {
    if (message.type !== 'lanes') this.flush();
    this.port.postMessage(message);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const envelopes = this.batch;
    this.batch = [];
    this.port.postMessage({ type: 'lanes', envelopes } satisfies WorkerToHost);
  }
}
