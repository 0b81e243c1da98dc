import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { volumeEncryption, type RunCommand } from '../../../../electron/services/doctor/encrypted-volume';
import { tempDir } from '../../../helpers/temp-db';

/** A made-up /proc and /sys: what the kernel shows for LVM on LUKS, plain LUKS, a bare partition, overlay and a loop device. */
function fakeKernel(root: string): { procRoot: string; sysRoot: string } {
  const procRoot = join(root, 'proc');
  const sysRoot = join(root, 'sys');
  mkdirSync(join(procRoot, 'self'), { recursive: true });
  writeFileSync(
    join(procRoot, 'self', 'mountinfo'),
    [
      '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
      '40 26 253:1 / /srv/cairn rw,relatime - ext4 /dev/mapper/vg-data rw',
      '41 26 8:17 / /srv/plain rw,relatime - xfs /dev/sdb1 rw',
      '42 26 0:45 / /srv/over rw,relatime - overlay overlay rw,lowerdir=/a',
      '43 26 7:0 / /srv/loop rw,relatime - ext4 /dev/loop0 rw',
      '44 26 253:5 / /srv/with\\040space rw,relatime - ext4 /dev/mapper/plain-crypt rw',
      '',
    ].join('\n'),
  );
  const dev = (path: string, uuid?: string): string => {
    const d = join(sysRoot, 'devices', path);
    mkdirSync(d, { recursive: true });
    if (uuid) {
      mkdirSync(join(d, 'dm'));
      writeFileSync(join(d, 'dm', 'uuid'), `${uuid}\n`);
    }
    return d;
  };
  dev('virtual/block/dm-0', 'CRYPT-LUKS2-3f1c0aa8d2e44c1b9a0b5e6f7a8b9c0d-luks-3f1c');
  const lvm = dev('virtual/block/dm-1', 'LVM-Xy12abCDefGH');
  mkdirSync(join(lvm, 'slaves'));
  symlinkSync('../../dm-0', join(lvm, 'slaves', 'dm-0'));
  dev('virtual/block/dm-5', 'CRYPT-PLAIN-plain-crypt');
  dev('pci0000:00/block/sdb/sdb1');
  const loop = dev('virtual/block/loop0');
  mkdirSync(join(loop, 'loop'));
  dev('pci0000:00/block/vda');
  mkdirSync(join(sysRoot, 'dev', 'block'), { recursive: true });
  for (const [id, path] of [
    ['253:1', 'virtual/block/dm-1'],
    ['253:5', 'virtual/block/dm-5'],
    ['8:17', 'pci0000:00/block/sdb/sdb1'],
    ['7:0', 'virtual/block/loop0'],
    ['254:0', 'pci0000:00/block/vda'],
  ]) {
    symlinkSync(`../../devices/${path!}`, join(sysRoot, 'dev', 'block', id!));
  }
  return { procRoot, sysRoot };
}

describe('whether a folder sits on an encrypted volume', () => {
  const t = tempDir('cairn-volume-');
  afterAll(() => t.cleanup());
  const kernel = fakeKernel(t.dir);
  const linux = (p: string): ReturnType<typeof volumeEncryption> => volumeEncryption(p, { platform: 'linux', ...kernel });

  it('finds LUKS under LVM through the slaves, plain dm-crypt, and says so for a bare partition', () => {
    expect(linux('/srv/cairn/data')).toEqual({ state: 'encrypted', detail: '/srv/cairn (ext4 on /dev/mapper/vg-data): dm-crypt/LUKS (CRYPT-LUKS2)' });
    expect(linux('/srv/with space/clinic.cairn')).toMatchObject({ state: 'encrypted', detail: expect.stringContaining('CRYPT-PLAIN') as unknown });
    expect(linux('/srv/plain/cairn')).toMatchObject({
      state: 'not_encrypted',
      detail: expect.stringMatching(/^\/srv\/plain \(xfs on \/dev\/sdb1\): no dm-crypt\/LUKS layer/) as unknown,
    });
    expect(linux('/home/clinic')).toMatchObject({ state: 'not_encrypted', detail: expect.stringContaining('/dev/vda') as unknown });
  });

  it('says "unknown" honestly where it cannot follow the device', () => {
    expect(linux('/srv/over/x')).toMatchObject({ state: 'unknown', detail: expect.stringContaining('overlay') as unknown });
    expect(linux('/srv/loop/x')).toMatchObject({ state: 'unknown', detail: expect.stringContaining('loop device') as unknown });
    expect(volumeEncryption('/srv/x', { platform: 'linux', procRoot: join(t.dir, 'nowhere'), sysRoot: kernel.sysRoot })).toMatchObject({ state: 'unknown' });
    expect(volumeEncryption('/srv/x', { platform: 'aix' })).toMatchObject({ state: 'unknown' });
  });

  it('reads manage-bde (Windows) and diskutil/fdesetup (macOS) answers', () => {
    const answers =
      (map: Record<string, { code: number; stdout: string }>): RunCommand =>
      (cmd, args) =>
        map[`${cmd} ${args.join(' ')}`] ?? { code: 1, stdout: '' };
    const on = 'Volume C: [OS]\n    Conversion Status:    Fully Encrypted\n    Protection Status:    Protection On\n';
    const off = 'Volume D: [Data]\n    Conversion Status:    Fully Decrypted\n    Protection Status:    Protection Off\n';
    expect(volumeEncryption('C:\\ProgramData\\Cairn', { platform: 'win32', run: answers({ 'manage-bde -status C:': { code: 0, stdout: on } }) })).toMatchObject(
      { state: 'encrypted' },
    );
    expect(volumeEncryption('D:\\cairn', { platform: 'win32', run: answers({ 'manage-bde -status D:': { code: 0, stdout: off } }) })).toEqual({
      state: 'not_encrypted',
      detail: 'D:: BitLocker protection off (Fully Decrypted)',
    });
    expect(volumeEncryption('D:\\cairn', { platform: 'win32', run: answers({}) })).toMatchObject({
      state: 'unknown',
      detail: expect.stringContaining('administrator') as unknown,
    });
    const df = { code: 0, stdout: 'Filesystem 512-blocks Used Available Capacity Mounted on\n/dev/disk3s5 1 1 1 1% /System/Volumes/Data\n' };
    expect(
      volumeEncryption('/Users/clinic', {
        platform: 'darwin',
        run: answers({ 'df -P /Users/clinic': df, 'diskutil info /dev/disk3s5': { code: 0, stdout: '   FileVault:                 Yes\n' } }),
      }),
    ).toMatchObject({ state: 'encrypted' });
    expect(
      volumeEncryption('/Users/clinic', {
        platform: 'darwin',
        run: answers({ 'df -P /Users/clinic': df, 'diskutil info /dev/disk3s5': { code: 0, stdout: '   FileVault:                 No\n' } }),
      }),
    ).toMatchObject({ state: 'not_encrypted' });
    expect(volumeEncryption('/Users/clinic', { platform: 'darwin', run: answers({}) })).toMatchObject({ state: 'unknown' });
  });

  it('gives an answer for a real folder on this machine', () => {
    expect(['encrypted', 'not_encrypted', 'unknown']).toContain(volumeEncryption(t.dir).state);
  });
});
