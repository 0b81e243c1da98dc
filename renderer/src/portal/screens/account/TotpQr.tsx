import { Image } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { useI18n } from '../../i18n/use-i18n';

/** The otpauth address as a QR code, for the authenticator app's camera (an SVG in a data: image, which the portal's CSP allows). */
export function TotpQr({ url }: { url: string }): ReactElement | null {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Loaded only here: most patients never set up two-step sign-in.
    import('qrcode')
      .then((m) => m.default.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }))
      .then(
        (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
        // Without the QR code the key and the link below still set the app up.
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [url]);
  return src ? <Image src={src} alt={t('account.totpQr')} w={200} h={200} bg="white" data-testid="totp-qr" /> : null;
}
