import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, IPC_PREFIX } from '../../shared/api/channels';

// Only `window.cairn` reaches the page: one function per contract channel, each a plain
// invoke. No raw ipcRenderer, no Node, nothing else.
const api = Object.fromEntries(CHANNELS.map((channel) => [channel, (input: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_PREFIX + channel, input)]));

contextBridge.exposeInMainWorld('cairn', Object.freeze(api));
