// @ts-check
// The one formatter for the whole tree, checked in `npm test` (npm run format:check).
// 160 columns: the codebase favours one-line calls and zod chains; wider than that is wrapped.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
  arrowParens: 'always',
  endOfLine: 'lf',
};
