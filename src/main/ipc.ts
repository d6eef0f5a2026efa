// Electron transport of the contract: one ipcMain.handle per method; every call's sender
// frame must be our own window's page.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../shared/method-names';
import { dispatch, type ApiEventBus, type ApiImpl } from './dispatch';
import { createLogger } from './log';

const log = createLogger('ipc');

export function isTrustedUrl(url: string, appUrl: string): boolean {
  try {
    const u = new URL(url);
    const a = new URL(appUrl);
    if (a.protocol === 'file:') return u.protocol === 'file:' && u.pathname === a.pathname;
    return u.origin === a.origin;
  } catch {
    return false;
  }
}

export function registerIpc(
  impl: ApiImpl,
  events: ApiEventBus,
  win: BrowserWindow,
  appUrl: string,
) {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), (e: IpcMainInvokeEvent, arg: unknown) => {
      const frameUrl = e.senderFrame?.url ?? '';
      if (e.sender !== win.webContents || !isTrustedUrl(frameUrl, appUrl)) {
        log.warn('refused call from untrusted frame', { method, frameUrl });
        return { ok: false, error: { name: 'Forbidden', message: 'untrusted sender' } };
      }
      return dispatch(impl, method, arg);
    });
  }
  const offs = EVENT_NAMES.map((event) =>
    events.on(event, (payload) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
    }),
  );
  return () => {
    offs.forEach((off) => off());
    METHOD_NAMES.forEach((m) => ipcMain.removeHandler(ipcChannel(m)));
  };
}
