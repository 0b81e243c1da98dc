import { Button, Card, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { portalFiles } from '../api/portal-api';
import { ScreenTitle } from '../components/ScreenTitle';
import { useI18n } from '../i18n/use-i18n';

/** The record to keep or share: a PDF summary, a FHIR R4 bundle for apps, a C-CDA for another doctor, the immunization record. */
export function RecordScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const files = [
    { href: portalFiles.recordPdf(patientId), label: t('record.pdf'), hint: t('record.pdfHint') },
    { href: portalFiles.recordFhir(patientId), label: t('record.fhir'), hint: t('record.fhirHint') },
    { href: portalFiles.recordCcda(patientId), label: t('record.ccda'), hint: t('record.ccdaHint') },
    { href: portalFiles.immunizations(patientId), label: t('record.immunizations'), hint: t('record.immunizationsHint') },
  ];
  return (
    <>
      <ScreenTitle>{t('record.title')}</ScreenTitle>
      <Text mb="md">{t('record.intro')}</Text>
      <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }} maw={560}>
        {files.map((f) => (
          <Card component="li" key={f.href} withBorder>
            {/* Saved, not shown in a tab: the server sends files with a sandboxing CSP, under which a browser may refuse to display a PDF. */}
            <Button component="a" href={f.href} download variant="light" fullWidth>
              {f.label}
            </Button>
            <Text size="sm" mt={6}>
              {f.hint}
            </Text>
          </Card>
        ))}
      </Stack>
    </>
  );
}
