/** Which credential each operation of an OpenAPI plugin needs, and so which secret settings the plugin has. */
import type { DeclaredSpec } from '../plugins/pluginCandidate';
import type { AiPluginManifest } from './aiPluginManifest';
import type { Operation } from './operationTypes';
import type { AuthRequirement } from './requestAuth';
import type { SpecDocument } from './specDocument';

/** Which credential each operation needs: the manifest's for all, or the spec's schemes. */
export function authRequirements(spec: SpecDocument, operations: readonly Operation[], manifest: AiPluginManifest | undefined, declared: DeclaredSpec | undefined): Map<Operation, AuthRequirement> {
  const result = new Map<Operation, AuthRequirement>();
  const forAll: AuthRequirement | undefined =
    manifest && manifest.auth.type !== 'none' ? { kind: manifest.auth.authorizationType, secretField: 'token' }
    : declared?.auth ? (declared.auth.type === 'apiKey' ? { kind: 'apiKey', in: declared.auth.in, name: declared.auth.name, secretField: 'token' } : { kind: declared.auth.type, secretField: 'token' })
    : undefined;
  const schemes = (spec.version === '2.0'
    ? spec.root['securityDefinitions']
    : (spec.root['components'] as { securitySchemes?: unknown } | undefined)?.securitySchemes) as Record<string, Record<string, unknown>> | undefined;
  for (const operation of operations) {
    if (forAll) {
      result.set(operation, forAll);
      continue;
    }
    for (const name of operation.security) {
      const requirement = schemeRequirement(name, schemes?.[name]);
      if (requirement) {
        result.set(operation, requirement);
        break;
      }
    }
  }
  return result;
}

function schemeRequirement(name: string, scheme: Record<string, unknown> | undefined): AuthRequirement | undefined {
  if (!scheme) return undefined;
  const secretField = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (scheme['type'] === 'apiKey') {
    const place = scheme['in'];
    return { kind: 'apiKey', in: place === 'query' || place === 'cookie' ? place : 'header', name: String(scheme['name'] ?? 'X-API-Key'), secretField };
  }
  if (scheme['type'] === 'http' && String(scheme['scheme']).toLowerCase() === 'bearer') return { kind: 'bearer', secretField };
  if ((scheme['type'] === 'http' && String(scheme['scheme']).toLowerCase() === 'basic') || scheme['type'] === 'basic') return { kind: 'basic', secretField };
  return undefined;
}
