/**
 * Where an API lives: the first usable `servers` entry (variables filled with their
 * defaults, relative URLs resolved against the spec's own URL), Swagger 2.0's scheme, host
 * and basePath, or the base URL the user configured when the spec has neither. An OpenAPI 3
 * spec without servers means "/", relative to where the spec was fetched from.
 */
import type { SpecDocument } from './specDocument';

export function serverUrl(spec: SpecDocument, override: string | undefined, operationServers?: unknown[]): string | undefined {
  if (override) return trimSlash(override);
  const servers = operationServers ?? spec.root['servers'];
  const fromServers = firstServer(servers, spec.location);
  if (fromServers) return fromServers;
  const noServers = !Array.isArray(servers) || servers.length === 0;
  if (spec.version !== '2.0' && noServers && isHttpUrl(spec.location)) return trimSlash(new URL('/', spec.location).href);
  if (spec.version === '2.0') {
    const host = typeof spec.root['host'] === 'string' ? spec.root['host'] : undefined;
    const basePath = typeof spec.root['basePath'] === 'string' ? spec.root['basePath'] : '';
    const schemes = Array.isArray(spec.root['schemes']) ? (spec.root['schemes'] as string[]) : [];
    const scheme = schemes.includes('https') ? 'https' : schemes[0] ?? 'https';
    if (host) return trimSlash(`${scheme}://${host}${basePath}`);
    if (isHttpUrl(spec.location)) return trimSlash(new URL(basePath || '/', spec.location).href);
  }
  return undefined;
}

function firstServer(servers: unknown, specLocation: string): string | undefined {
  if (!Array.isArray(servers)) return undefined;
  for (const server of servers) {
    const raw = (server as { url?: unknown } | null)?.url;
    if (typeof raw !== 'string') continue;
    const variables = ((server as { variables?: Record<string, { default?: unknown }> }).variables ?? {}) as Record<string, { default?: unknown }>;
    const filled = raw.replace(/\{([^}]+)\}/g, (_match, name: string) => String(variables[name]?.default ?? ''));
    if (isHttpUrl(filled)) return trimSlash(filled);
    // A relative server URL is relative to where the spec was served from.
    if (isHttpUrl(specLocation)) return trimSlash(new URL(filled || '/', specLocation).href);
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
