export { ClickableRow, activateOnKey } from './ClickableRow';
export { NavButton } from './NavButton';
export { MAIN_ID, SkipLink } from './SkipLink';
export { ScreenTitle } from './ScreenTitle';
export { useRestoreFocus } from './useRestoreFocus';
