// The ok/error envelope that crosses both transports.

export interface ApiError {
  /** Error class name, e.g. HostKeyChanged, TunnelFailed, ValidationError. */
  name: string;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`impossible ${what}: ${JSON.stringify(x)}`);
}
