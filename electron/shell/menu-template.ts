import type { MenuTemplate } from './electron-surface';

export interface MenuChoices {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** Whether this device remembers the database key (the checkbox's state). */
  rememberKey: boolean;
  /** Closes the database and shows the unlock screen. */
  lock: () => void;
  setRememberKey: (remember: boolean) => void;
}

/**
 * The app menu: standard roles, Lock (Ctrl/Cmd+L), and the per-device choice to remember the key.
 * DevTools (menu item and its shortcut, which comes with the item) only when running from source.
 */
export function menuTemplate(c: MenuChoices): MenuTemplate {
  return [
    ...(c.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Lock Cairn', accelerator: 'CmdOrCtrl+L', click: () => c.lock() },
        {
          label: 'Remember the Key on This Device',
          type: 'checkbox',
          checked: c.rememberKey,
          toolTip: 'Unlock without the clinic passphrase on this computer, protected by its keychain. Only on a device one clinic controls.',
          click: (item) => c.setRememberKey(item.checked),
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(c.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
