import {
  Alert,
  createTheme,
  darken,
  DEFAULT_THEME,
  luminance,
  Modal,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type MantineThemeColors,
} from '@mantine/core';

/** WCAG 2.1 AA for normal text; a little over 4.5 so rounding in a browser never lands just below it. */
const AA = 4.6;

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened in small steps until it reads at `ratio` on every one of `backgrounds`. */
function readableOn(color: string, backgrounds: readonly string[], ratio = AA): string {
  let c = color;
  for (let i = 0; i < 40 && backgrounds.some((bg) => contrast(c, bg) < ratio); i++) c = darken(c, 0.04);
  return c;
}

/** Every palette's pale shades: the backgrounds text may sit on. */
const PALE = Object.entries(DEFAULT_THEME.colors)
  .filter(([name]) => name !== 'dark')
  .flatMap(([, t]) => [t[0], t[1]]);

/**
 * Mantine's palettes with the shades that carry text made dark enough for WCAG AA, so every screen
 * passes without per-element colours. Which shade does what in the light scheme (Mantine 9):
 * - 6 is the filled background under white text (buttons, filled badges), `c="red"` text, links, error
 *   text and the dimmed grey: it must read on white and on every pale shade 0–1, which rows, alerts
 *   and light badges use as backgrounds (a link in a critical result's red row);
 * - 7 and 8 are the hover shades of filled: kept darker than 6;
 * - 9 is the text of light and subtle variants on shade 1 (and 2 when hovered).
 */
function accessible(tuple: MantineColorsTuple): MantineColorsTuple {
  const s = [...tuple];
  s[6] = readableOn(s[6]!, ['#ffffff', ...PALE]);
  s[7] = luminance(s[7]!) < luminance(s[6]) ? s[7]! : darken(s[6], 0.1);
  s[8] = luminance(s[8]!) < luminance(s[7]) ? s[8]! : darken(s[7], 0.1);
  s[9] = readableOn(luminance(s[9]!) < luminance(s[8]) ? s[9]! : darken(s[8], 0.1), ['#ffffff', s[1]!, s[2]!]);
  return s as unknown as MantineColorsTuple;
}

const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors).map(([name, tuple]) => [name, name === 'dark' ? tuple : accessible(tuple)]),
) as MantineThemeColors;

/**
 * The app's theme. Accessibility lives here rather than on each element: readable palettes (above),
 * a visible focus ring on every focusable element (see components/a11y.css for inputs and rows), and
 * every dialog's close button named "Close" (Mantine leaves it unnamed).
 */
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 6,
  defaultRadius: 'sm',
  colors,
  focusRing: 'auto',
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // A dismissible alert's close button needs a name too (booking confirmation, flow-board and lab-order problems).
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Dismiss' } }),
  },
});

/**
 * Placeholder text readable too: a file picker's "Choose files" is the only text in its box, and
 * Mantine's gray-5 placeholder reads at 2:1 on white.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-placeholder': readableOn(DEFAULT_THEME.colors.gray[5], ['#ffffff', t.colors.gray[0]]) },
  dark: {},
});
