// The sandboxed preload: exposes the contract's methods and events, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../shared/method-names';

const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

contextBridge.exposeInMainWorld('opsdeck', {
  invoke(method: string, arg: unknown): Promise<unknown> {
    if (!methods.has(method)) return Promise.reject(new Error(`No API method named ${method}`));
    return ipcRenderer.invoke(ipcChannel(method), arg);
  },
  on(event: string, cb: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`No event named ${event}`);
    const listener = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) cb(msg.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, listener);
  },
});
