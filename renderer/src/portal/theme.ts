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

/*
 * The portal's theme. Same accessible palettes as the staff app (renderer/src/theme.ts), repeated
 * here on purpose: the portal is a separate app that imports only shared/ and itself, so a change
 * to the staff screens never changes what patients see.
 */

/** WCAG 2.1 AA for normal text, with a little margin so browser rounding never lands below it. */
const AA = 4.6;

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function readableOn(color: string, backgrounds: readonly string[], ratio = AA): string {
  let c = color;
  for (let i = 0; i < 40 && backgrounds.some((bg) => contrast(c, bg) < ratio); i++) c = darken(c, 0.04);
  return c;
}

const PALE = Object.entries(DEFAULT_THEME.colors)
  .filter(([name]) => name !== 'dark')
  .flatMap(([, t]) => [t[0], t[1]]);

/** Shade 6 (filled backgrounds, coloured text, links) and 9 (light variants' text) made readable on white and pale shades. */
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

/** Dialog close buttons are named per language by the screens that open them (closeButtonProps). */
export const portalTheme = createTheme({
  primaryColor: 'teal',
  primaryShade: 6,
  defaultRadius: 'md',
  colors,
  focusRing: 'auto',
  components: {
    Modal: Modal.extend({ defaultProps: { centered: true } }),
    Alert: Alert.extend({ defaultProps: { variant: 'light' } }),
  },
});

/** Placeholder text readable too (Mantine's gray-5 reads at about 2:1 on white). */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-placeholder': readableOn(DEFAULT_THEME.colors.gray[5], ['#ffffff', t.colors.gray[0]]) },
  dark: {},
});
