// What the preload exposes on window in Electron. Browser mode has no window.opsdeck.
import type { Envelope } from '../../shared/result';

declare global {
  interface OpsdeckBridge {
    invoke(method: string, arg: unknown): Promise<Envelope<unknown>>;
    on(event: string, cb: (payload: unknown) => void): () => void;
  }

  interface Window {
    opsdeck?: OpsdeckBridge;
  }
}

export {};
