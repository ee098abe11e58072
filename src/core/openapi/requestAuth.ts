/** Attaches a plugin's credential to a request, and only to a request for the API's own origin. */
import { encodeStrict } from './parameterStyles';
import type { PreparedRequest } from './preparedRequest';
import { ToolCallError } from './toolCallError';

export interface AuthRequirement {
  kind: 'bearer' | 'basic' | 'apiKey';
  /** For apiKey: where the key goes and under what name. */
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  /** The plugin's secret setting holding the value. */
  secretField: string;
}

/** Adds the secret to the request, but only for the API's own origin. */
export function applyAuth(request: PreparedRequest, auth: AuthRequirement, secret: string, trustedOrigin: string): void {
  if (request.url.origin !== trustedOrigin) {
    throw new ToolCallError(`refused to send the API key to ${request.url.origin}: it belongs to ${trustedOrigin}`);
  }
  switch (auth.kind) {
    case 'bearer':
      request.headers['authorization'] = `Bearer ${secret}`;
      return;
    case 'basic':
      request.headers['authorization'] = `Basic ${Buffer.from(secret).toString('base64')}`;
      return;
    case 'apiKey':
      // Appended as text: rewriting the query through searchParams would re-encode the
      // delimiters the parameters' styles chose.
      if (auth.in === 'query') {
        const name = encodeStrict(auth.name ?? 'api_key');
        const others = request.url.search.slice(1).split('&').filter((pair) => pair !== '' && pair.split('=')[0] !== name);
        request.url.search = `?${[...others, `${name}=${encodeStrict(secret)}`].join('&')}`;
      }
      else if (auth.in === 'cookie') request.headers['cookie'] = [request.headers['cookie'], `${auth.name}=${encodeURIComponent(secret)}`].filter(Boolean).join('; ');
      else request.headers[(auth.name ?? 'x-api-key').toLowerCase()] = secret;
  }
}
