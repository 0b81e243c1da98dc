import { Accordion, Button, List, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ChartSummary } from '../../../../../shared/api/portal-http';
import { portalApi, portalFiles } from '../../api/portal-api';
import { Loaded } from '../../components/Loaded';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/use-load';
import { isKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { VitalsTrends } from './VitalsTrends';

/** Problems, medications, allergies, immunizations (with the printable record), vital signs and visit summaries. */
export function HealthScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const summary = useLoad(`summary:${patientId}`, () => portalApi.summary(patientId));
  return (
    <>
      <ScreenTitle>{t('health.title')}</ScreenTitle>
      <Loaded load={summary}>{(s) => <Summary s={s} patientId={patientId} />}</Loaded>
    </>
  );
}

function Summary({ s, patientId }: { s: ChartSummary; patientId: string }): ReactElement {
  const { t, fmt } = useI18n();
  // The chart's severity words, in the patient's language when known.
  const severityText = (v: string): string => {
    const key = `severity.${v.toLowerCase()}`;
    return isKey(key) ? t(key) : v;
  };
  const none = <Text c="dimmed">{t('common.none')}</Text>;
  return (
    <>
      {s.hiddenFromProxy > 0 && <Note>{t('charts.hidden', { name: s.patient.name })}</Note>}
      <Section title={t('health.problems')} testId="health-problems">
        {s.problems.length === 0 ? (
          none
        ) : (
          <List spacing={4}>
            {s.problems.map((p) => (
              <List.Item key={p.id}>
                <Text span fw={600}>
                  {p.name}
                </Text>
                {p.since && <Text span c="dimmed">{` · ${t('health.since', { date: fmt.day(p.since) })}`}</Text>}
              </List.Item>
            ))}
          </List>
        )}
      </Section>
      <Section title={t('health.medications')} testId="health-medications">
        {s.medications.length === 0 ? (
          none
        ) : (
          <List spacing={4}>
            {s.medications.map((m) => (
              <List.Item key={m.id}>
                <Text span fw={600}>
                  {m.name}
                </Text>
                {m.instructions && <Text size="sm">{m.instructions}</Text>}
              </List.Item>
            ))}
          </List>
        )}
      </Section>
      <Section title={t('health.allergies')} testId="health-allergies">
        {s.allergies.length === 0 ? (
          <Text c="dimmed">{t('health.noAllergies')}</Text>
        ) : (
          <List spacing={4}>
            {s.allergies.map((a) => (
              <List.Item key={a.id}>
                <Text span fw={600}>
                  {a.substance}
                </Text>
                {a.reaction && <Text size="sm">{t('health.reaction', { reaction: a.reaction })}</Text>}
                {a.severity && <Text size="sm">{t('health.severity', { severity: severityText(a.severity) })}</Text>}
              </List.Item>
            ))}
          </List>
        )}
      </Section>
      <Section title={t('health.immunizations')} testId="health-immunizations">
        {s.immunizations.length === 0 ? (
          none
        ) : (
          <Table.ScrollContainer minWidth={300}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('health.vaccine')}</Table.Th>
                  <Table.Th scope="col">{t('health.date')}</Table.Th>
                  <Table.Th scope="col">{t('health.lot')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.immunizations.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>{i.vaccine}</Table.Td>
                    <Table.Td>{fmt.day(i.date)}</Table.Td>
                    <Table.Td>{i.lot ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Button component="a" href={portalFiles.immunizations(patientId)} download variant="light" mt="sm">
          {t('health.immunizationPdf')}
        </Button>
      </Section>
      <Section title={t('health.vitals')} testId="health-vitals">
        {s.vitals.length === 0 ? <Text c="dimmed">{t('health.noVitals')}</Text> : <VitalsTrends trends={s.vitals} />}
      </Section>
      <Section title={t('health.visits')} testId="health-visits">
        {s.visits.length === 0 ? (
          <Text c="dimmed">{t('health.noVisits')}</Text>
        ) : (
          <Accordion variant="separated">
            {s.visits.map((v) => (
              <Accordion.Item key={v.noteId} value={v.noteId}>
                <Accordion.Control>
                  <Text fw={600} inherit>
                    {fmt.day(v.date)} · {v.title}
                  </Text>
                  {v.clinician && <Text size="sm">{t('health.visitBy', { clinician: v.clinician })}</Text>}
                </Accordion.Control>
                <Accordion.Panel>
                  <Text className="portal-pre">{v.text}</Text>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Section>
    </>
  );
}
