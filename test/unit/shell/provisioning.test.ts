import { describe, expect, it } from 'vitest';
import { provisioningNotice } from '../../../electron/shell/provisioning';

describe('what the person sees after provisioning', () => {
  it('shows a failure with its title and what to do, an enrolment with the clinic, and nothing otherwise', () => {
    expect(
      provisioningNotice({
        status: 'failed',
        file: '/etc/cairn/cairn-provisioning.json',
        reason: 'code-expired',
        title: "This computer's enrollment code has expired",
        action: 'Ask the clinic administrator for a new provisioning file.',
      }),
    ).toEqual({
      type: 'error',
      title: 'Cairn',
      message: "This computer's enrollment code has expired",
      detail: 'Ask the clinic administrator for a new provisioning file.',
    });
    const enrolled = {
      status: 'enrolled',
      file: '/etc/cairn/cairn-provisioning.json',
      serverUrl: 'https://clinic-server.lan:8443',
      deviceId: 'd1',
      clinicName: 'Hilltop Clinic',
      codeRemoved: false,
      message: 'This computer is enrolled with Hilltop Clinic (https://clinic-server.lan:8443).',
    } as const;
    expect(provisioningNotice(enrolled)).toMatchObject({
      type: 'info',
      message: enrolled.message,
      detail: expect.stringContaining('delete that file') as string,
    });
    expect(provisioningNotice({ ...enrolled, codeRemoved: true })!.detail).not.toContain('delete');
    expect(provisioningNotice({ status: 'no-file', looked: [] })).toBeNull();
    expect(provisioningNotice({ status: 'nothing-to-do', file: 'f', why: 'code-used', message: 'm' })).toBeNull();
    expect(provisioningNotice(undefined)).toBeNull();
  });
});
