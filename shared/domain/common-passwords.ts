/**
 * A small list of the most common passwords of 10 or more characters (from public breach-corpus
 * top lists such as SecLists' 10-million-password top 10,000, filtered to length ≥ 10), plus
 * clinic-flavoured ones. Compared case-insensitively. Small on purpose: it ships in the renderer.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '0123456789', '1111111111', '0000000000', '1234512345', '9876543210', '1q2w3e4r5t', 'qwertyuiop',
  'asdfghjkl1', 'password12', 'password123', 'password1234', 'password!1', 'passw0rd123', 'p@ssw0rd12', 'p@ssword123',
  'iloveyou12', 'iloveyou123', 'sunshine123', 'princess123', 'football123', 'baseball123', 'welcome123', 'welcome1234',
  'letmein123', 'trustno1234', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'abc1234567', 'abcdefghij', 'abcd123456',
  'changeme123', 'changeme1234', 'admin12345', 'admin123456', 'administrator', 'adminadmin', 'superman123', 'batman1234',
  'michael123', 'jennifer123', 'charlie123', 'dragon1234', 'monkey1234', 'shadow1234', 'master1234', 'starwars123',
  'computer123', 'internet123', 'whatever123', 'freedom123', 'summer2024', 'summer2025', 'summer2026', 'winter2024',
  'winter2025', 'winter2026', 'spring2025', 'spring2026', 'autumn2025', 'autumn2026', 'january2026', 'november2026',
  'password2024', 'password2025', 'password2026', 'welcome2025', 'welcome2026', 'company123', 'letmein1234', 'loveyou123',
  'hospital123', 'clinic1234', 'clinic12345', 'doctor1234', 'doctor12345', 'nurse12345', 'medical123', 'medicine123',
  'patient123', 'health1234', 'healthcare1', 'healthcare123', 'cairn12345', 'cairnclinic', 'frontdesk1', 'frontdesk123',
  'reception1', 'reception123', 'physician1', 'physician123', 'qazwsxedcr', '1qaz2wsx3edc', 'zaq12wsxcde', 'aaaaaaaaaa',
]);

/** True for a password on the common list, or one character repeated. */
export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  return COMMON_PASSWORDS.has(p) || /^(.)\1+$/.test(p);
}
