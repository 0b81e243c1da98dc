import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, IPC_PREFIX } from '../../shared/api/channels';
import { err } from '../../shared/api/result';
import { dispatch } from '../services/dispatch';
import type { Handlers } from '../services/handlers';

/**
 * Registers every contract channel with ipcMain. Each call first checks its sender: it must be
 * the main frame of our own window, showing our own renderer (as VS Code's validated ipcMain).
 */
export function registerIpc(handlers: Handlers, isTrusted: (contents: WebContents, frameUrl: string) => boolean): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame !== event.sender.mainFrame || !isTrusted(event.sender, frame.url)) {
        return err('forbidden', 'this call did not come from the Cairn window');
      }
      return dispatch(handlers, channel, input);
    });
  }
}
