import { Menu } from 'electron';
import { menuTemplate, type MenuChoices } from '../shell/menu-template';

/** Sets the app menu (electron/shell/menu-template.ts: Lock, remembering the key, DevTools only from source). */
export function setAppMenu(choices: MenuChoices): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(choices)));
}
