/** An OpenAPI operation as the core keeps it, and where each of its tool's arguments goes. */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ArgumentPlace = 'path' | 'query' | 'header' | 'cookie' | 'body' | 'bodyField' | 'formData';

/** How a value is written into the request, as the parameter or body field declares. */
export interface Encoding {
  /** OpenAPI 3: form, spaceDelimited, pipeDelimited, deepObject, simple, label, matrix. */
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  /** Swagger 2.0 arrays: csv (its default), ssv, tsv, pipes, multi. */
  collectionFormat?: string;
  /** A parameter with `content`, or a body part's declared media type. */
  contentType?: string;
  /** A multipart part that is a file (`format: binary`, Swagger 2.0's `type: file`). */
  file?: boolean;
}

/** Where one tool argument goes in the request. */
export interface ArgumentBinding {
  argument: string;
  place: ArgumentPlace;
  /** The parameter or body field name in the request. */
  name: string;
  encoding?: Encoding;
  /** For a whole-body argument sent as a form: each field's encoding. */
  fields?: Record<string, Encoding>;
}

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  toolName: string;
  /** Resolved parameter objects (path-level and operation-level merged). */
  parameters: ParameterObject[];
  body?: { contentType: string; schema: unknown; required: boolean; encoding?: Record<string, Encoding> };
  /** Names of the security schemes the operation accepts (the first set that applies). */
  security: string[];
  /** Operation-level or path-level servers, when they override the document's. */
  servers?: unknown[];
  /** The document location the operation's references resolve against. */
  location: string;
}

export interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
  /** Swagger 2.0 keeps the type on the parameter itself. */
  [keyword: string]: unknown;
}

