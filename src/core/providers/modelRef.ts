/** Which model: the provider that lists it and its id there. Saved with settings and answers. */
export interface ModelRef {
  providerId: string;
  modelId: string;
}
