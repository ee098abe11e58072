/**
 * The entry of the plugin worker's bundle (dist/pluginWorker.js): the worker of plugins/isolation,
 * which also prepares OpenAPI plugins, so a spec is read, parsed and turned into tools off the
 * extension host's thread. It lives here because the plugins layer may not import openapi.
 */
import { preparesKind } from '../plugins/isolation/pluginWorker';
import { prepareOpenApiPlugin } from './openApiPlugin';

preparesKind((candidate) => prepareOpenApiPlugin(candidate));
