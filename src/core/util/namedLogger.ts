/** A logger whose lines start with `[name]`, so the shared log says which plugin or part wrote them. */
import type { PluginLogger } from '../api';
import type { Logger } from '../ports';

export function namedLogger(log: Logger, name: string): Logger & PluginLogger {
  const prefix = `[${name}]`;
  return {
    debug: (message) => log.debug(`${prefix} ${message}`),
    info: (message) => log.info(`${prefix} ${message}`),
    warn: (message) => log.warn(`${prefix} ${message}`),
    error: (message) => log.error(`${prefix} ${message}`),
  };
}
