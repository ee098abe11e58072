// For the type check of the templates only (tsconfig.json here; not shipped): stands in for
// the patchbay-plugin.d.ts that "Create Plugin from Template" writes next to a plugin's code,
// which is a copy of the same API file.
export * from '../core/api';
