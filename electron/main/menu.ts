import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The app menu: standard roles, plus Lock (Ctrl/Cmd+L), which closes the database and reloads the window. */
export function buildMenu(win: () => BrowserWindow | null, lock: () => void): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Lock Cairn',
          accelerator: 'CmdOrCtrl+L',
          click: () => {
            lock();
            win()?.webContents.reload();
          },
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
        { role: 'toggleDevTools' },
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
  return Menu.buildFromTemplate(template);
}
