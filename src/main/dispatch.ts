// The single entry both transports call: look the method up, validate its argument with the
// contract's schema, run it, and wrap the answer in the ok/error envelope.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import {
  contract,
  type ApiEvents,
  type EventName,
  type MethodArg,
  type MethodName,
  type MethodOutput,
} from '../shared/api';
import type { Envelope } from '../shared/result';
import { createLogger } from './log';

const log = createLogger('api');

export type ApiImpl = { [K in MethodName]: (arg: MethodArg<K>) => Promise<MethodOutput<K>> };

/** Typed event bus for pushed events. */
export class ApiEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, cb: (payload: ApiEvents[E]) => void): () => void {
    this.emitter.on(event, cb);
    return () => this.emitter.off(event, cb);
  }
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

function describeZodError(method: string, err: z.ZodError): string {
  const parts = err.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
  return `Invalid argument to ${method}: ${parts.join('; ')}`;
}

export async function dispatch(
  impl: ApiImpl,
  method: string,
  rawArg: unknown,
): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { name: 'NotFound', message: `No API method named ${method}` } };
  }
  const parsed = contract[method].input.safeParse(rawArg ?? {});
  if (!parsed.success) {
    const message = describeZodError(method, parsed.error);
    return { ok: false, error: { name: 'ValidationError', message } };
  }
  const started = Date.now();
  try {
    const fn = impl[method] as (arg: unknown) => Promise<unknown>;
    const value = await fn(parsed.data);
    log.debug('call', { method, ms: Date.now() - started });
    return { ok: true, value };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    log.debug('call failed', { method, error: e.message });
    return { ok: false, error: { name: e.name, message: e.message } };
  }
}
