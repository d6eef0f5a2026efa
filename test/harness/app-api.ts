// An Opsdeck core's API called the way the transports call it: the argument validated by
// the contract's schema first, then the method of app.api.
import { resolve } from 'node:path';
import type { OpsdeckApp } from '../../src/main/app';
import type { MethodArg, MethodInput, MethodName, MethodOutput } from '../../src/shared/api';
import { contract } from '../../src/shared/api';

/** The repository root, where the core finds its built-in runbooks and checklists. */
export const appRoot = resolve(__dirname, '..', '..');

export async function call<K extends MethodName>(
  app: OpsdeckApp,
  method: K,
  arg: MethodInput<K>,
): Promise<MethodOutput<K>> {
  const parsed = contract[method].input.parse(arg) as MethodArg<K>;
  const fn = app.api[method] as (a: MethodArg<K>) => Promise<MethodOutput<K>>;
  return fn(parsed);
}
