// Child process for the rekey crash test: rekeys FILE from OLD to NEW (test KDF), printing
// "start" just before and each step as it passes (with its time in ms since the start). With DIE_AT it SIGKILLs itself at that step,
// so every step boundary is covered exactly, besides the parent's kills at random moments.
import { rekeyDatabase, type RekeyStep } from '../../electron/services/backup/rekey';
import { TEST_KDF } from './temp-db';

const [file, oldPass, newPass, dieAt] = process.argv.slice(2) as [string, string, string, string | undefined];
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
say('start');
const t0 = performance.now();
await rekeyDatabase({
  dbFile: file,
  passphrase: oldPass,
  newPassphrase: newPass,
  kdf: TEST_KDF,
  onStep: (step: RekeyStep) => {
    say(`step ${step} ${(performance.now() - t0).toFixed(1)}`);
    if (step === dieAt) process.kill(process.pid, 'SIGKILL');
  },
});
say(`done ${(performance.now() - t0).toFixed(1)}`);
