/** The end of a switch that handles every member of a union: a member left out fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
