/** A plugin's activate or deactivate that never settles must not hold up loading the others. */
import { realClock, type Clock, type TimerHandle } from '../ports';

export function withTimeout<T>(work: Promise<T>, ms: number, message: string, clock: Clock = realClock): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clock.clearTimeout(timer));
}
