import { Alert, Button, Card, Group, Loader, Modal, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { ChartSummary } from '../../../../shared/domain/chart';
import type { Encounter } from '../../../../shared/domain/clinical';
import { VISIT_TYPE_LABELS, VISIT_TYPES } from '../../../../shared/domain/clinical';
import { AllergiesPanel, FaceSheet, ImmunizationsPanel, ProblemsPanel } from '../chart';
import { MedicationsPanel } from '../meds';
import { VitalsTrends } from '../vitals';
import { ChartSyncNotices } from '../sync';
import { LabOrders, PatientResults } from '../labs';
import { PreventivePanel } from '../population';
import { GrowthPage } from '../growth';
import { CoveragePanel, PatientAccount } from '../billing';
import { ChartReported, PortalAccessCard } from '../portal';
import { DocumentsTab } from '../documents';
import { ReconcileTab } from '../reconcile';
import { ReferralsTab } from '../referrals';
import { ImagingTab } from '../imaging';
import { HospitalStaysCard } from '../care';
import { daysBetween } from '../../../../shared/domain/dates';
import { clinicDayOf, clinicToday } from '../../lib/clinic-day';
import { ClickableRow } from '../../components';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { mayCall } from '../../../../shared/api/permissions';
import type { Channel } from '../../../../shared/api/channels';
import type { CairnError } from '../../../../shared/api/result';
import { BreakGlassDialog } from './BreakGlassDialog';
import { PatientBanner } from '../../components/PatientBanner';
import { RegisterPatient } from './RegisterPatient';

/** The patient's visits, newest first; a role that may not read a visit (front desk) sees the list only. */
function VisitList({ patientId, mayOpen }: { patientId: string; mayOpen: boolean }): ReactElement {
  const go = useNav((s) => s.go);
  const [encounters, setEncounters] = useState<Encounter[] | null>(null);
  useEffect(() => void api['encounters.list']({ patientId }).then((r) => setEncounters(r.ok ? r.value : [])), [patientId]);
  if (!encounters) return <Loader />;
  if (encounters.length === 0) return <Text c="dimmed">No visits yet.</Text>;
  return (
    <Table highlightOnHover data-testid="visit-list">
      <Table.Tbody>
        {encounters.map((e) => (
          <ClickableRow key={e.id} onActivate={mayOpen ? () => go({ name: 'encounter', patientId, encounterId: e.id }) : undefined} data-testid="visit-row">
            <Table.Td>{e.startAt ? clinicDayOf(e.startAt) : ''}</Table.Td>
            <Table.Td>{VISIT_TYPE_LABELS[e.visitType]}</Table.Td>
            <Table.Td>{e.reason ?? ''}</Table.Td>
            <Table.Td>{e.providerName ?? ''}</Table.Td>
            <Table.Td>{e.status.replace(/_/g, ' ')}</Table.Td>
          </ClickableRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The chart: banner on top; face sheet, visits, problems, allergies, immunizations, vitals and demographics in tabs. */
export function ChartPage({ patientId, tab }: { patientId: string; tab?: string }): ReactElement {
  const go = useNav((s) => s.go);
  const role = useSession((st) => st.session?.user?.role ?? null);
  const can = (channel: Channel): boolean => mayCall(role, channel);
  const [summary, setSummary] = useState<ChartSummary | null>(null);
  const [header, setHeader] = useState<Pick<ChartSummary, 'patient' | 'allergyStatus'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A restricted chart asks for break-glass instead of showing anything; `glassUntil` once it is broken.
  const [restricted, setRestricted] = useState(false);
  const [glassUntil, setGlassUntil] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [visit, setVisit] = useState<{ visitType: string; reason: string }>({ visitType: 'office_visit', reason: '' });

  // The face sheet is the chart opening (audited once as such); other lists load when their tab is shown.
  // Roles without clinical access (front desk, billing) get the banner and demographics only;
  // the backend refuses the rest anyway, the screen just does not offer it.
  const clinical = mayCall(role, 'chart.summary');
  const load = useCallback(() => {
    const failed = (e: CairnError): void => (e.code === 'break_glass_required' ? setRestricted(true) : setError(e.message));
    if (clinical) void api['chart.summary']({ patientId }).then((r) => (r.ok ? (setSummary(r.value), setHeader(r.value)) : failed(r.error)));
    else void api['patients.chartHeader']({ id: patientId }).then((r) => (r.ok ? setHeader(r.value) : failed(r.error)));
  }, [patientId, clinical]);
  useEffect(load, [load]);

  const startVisit = async (): Promise<void> => {
    const r = await api['encounters.create']({
      patientId,
      visitType: visit.visitType as (typeof VISIT_TYPES)[number],
      ...(visit.reason && { reason: visit.reason }),
    });
    if (!r.ok) return setError(r.error.message);
    setStarting(false);
    go({ name: 'encounter', patientId, encounterId: r.value.id });
  };

  if (restricted) {
    const opened = (until: string): void => {
      setRestricted(false);
      setGlassUntil(until);
      load();
    };
    return <BreakGlassDialog patientId={patientId} onOpened={opened} onCancel={() => go({ name: 'search' })} />;
  }
  if (error) return <Alert color="red">{error}</Alert>;
  if (!header) return <Loader />;
  const p = header.patient;
  // Growth charts run from birth to 20 years (CDC 2000 ends at 240 months).
  const isChild = daysBetween(p.birthDate, clinicToday()) < 20 * 365.25;
  const addr = [p.address.line1, p.address.city, p.address.state, p.address.postalCode, p.address.country].filter(Boolean).join(', ');
  return (
    <Stack>
      <PatientBanner patient={p} allergyStatus={header.allergyStatus} screen="Chart" />
      <ChartSyncNotices patientId={patientId} />
      <ChartReported patientId={patientId} onChanged={load} />
      {glassUntil && (
        <Alert color="red" variant="light" data-testid="break-glass-active">
          Opened by break-glass until {new Date(glassUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: your reason and every access are in
          the audit log.
        </Alert>
      )}
      {p.deceasedOn ? (
        // No new visit, booking or prescription: the chart stays readable as it was.
        <Alert color="gray" variant="light" data-testid="deceased-note">
          Died {p.deceasedOn}. The chart is kept as it was: no new visits, bookings or prescriptions, and no reminders.
        </Alert>
      ) : (
        can('encounters.create') && (
          <Group>
            <Button onClick={() => setStarting(true)} data-testid="start-visit">
              Start visit
            </Button>
          </Group>
        )
      )}
      <Tabs defaultValue={tab ?? (clinical ? 'summary' : 'demographics')} keepMounted={false}>
        <Tabs.List>
          {clinical && <Tabs.Tab value="summary">Summary</Tabs.Tab>}
          {can('encounters.list') && <Tabs.Tab value="visits">Visits</Tabs.Tab>}
          {can('meds.list') && <Tabs.Tab value="medications">Medications</Tabs.Tab>}
          {can('problems.list') && <Tabs.Tab value="problems">Problems</Tabs.Tab>}
          {can('allergies.list') && <Tabs.Tab value="allergies">Allergies</Tabs.Tab>}
          {can('immunizations.list') && <Tabs.Tab value="immunizations">Immunizations</Tabs.Tab>}
          {can('vitals.trends') && <Tabs.Tab value="vitals">Vitals</Tabs.Tab>}
          {can('growth.chart') && isChild && (
            <Tabs.Tab value="growth" data-testid="tab-growth">
              Growth
            </Tabs.Tab>
          )}
          {can('labs.patientResults') && <Tabs.Tab value="results">Results</Tabs.Tab>}
          {can('labs.orders') && (
            <Tabs.Tab value="lab-orders" data-testid="tab-lab-orders">
              Lab orders
            </Tabs.Tab>
          )}
          {can('documents.list') && (
            <Tabs.Tab value="documents" data-testid="tab-documents">
              Documents
            </Tabs.Tab>
          )}
          {can('ccda.items') && (
            <Tabs.Tab value="reconcile" data-testid="tab-reconcile">
              Reconcile
            </Tabs.Tab>
          )}
          {can('referrals.list') && (
            <Tabs.Tab value="referrals" data-testid="tab-referrals">
              Referrals
            </Tabs.Tab>
          )}
          {can('imaging.list') && (
            <Tabs.Tab value="imaging" data-testid="tab-imaging">
              Imaging
            </Tabs.Tab>
          )}
          {can('population.preventive') && (
            <Tabs.Tab value="preventive" data-testid="tab-preventive">
              Preventive care
            </Tabs.Tab>
          )}
          <Tabs.Tab value="demographics">Demographics</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="summary" pt="md">
          <Stack gap="md">
            {summary && <FaceSheet summary={summary} />}
            {can('care.forPatient') && <HospitalStaysCard patientId={patientId} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="visits" pt="md">
          <VisitList patientId={patientId} mayOpen={can('encounters.get')} />
        </Tabs.Panel>
        <Tabs.Panel value="medications" pt="md">
          <MedicationsPanel patientId={patientId} deceasedOn={p.deceasedOn} />
        </Tabs.Panel>
        <Tabs.Panel value="problems" pt="md">
          <ProblemsPanel patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="allergies" pt="md">
          <AllergiesPanel patientId={patientId} onChanged={load} />
        </Tabs.Panel>
        <Tabs.Panel value="immunizations" pt="md">
          <ImmunizationsPanel patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="vitals" pt="md">
          <VitalsTrends patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="growth" pt="md">
          <GrowthPage patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="results" pt="md">
          <PatientResults patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="lab-orders" pt="md">
          <LabOrders patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="documents" pt="md">
          <DocumentsTab patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="reconcile" pt="md">
          <ReconcileTab patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="referrals" pt="md">
          <ReferralsTab patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="imaging" pt="md">
          <ImagingTab patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="preventive" pt="md">
          <PreventivePanel patientId={patientId} />
        </Tabs.Panel>
        <Tabs.Panel value="demographics" pt="md">
          {editing ? (
            <RegisterPatient
              existing={p}
              onSaved={() => {
                setEditing(false);
                load();
              }}
            />
          ) : (
            <>
              <Button variant="light" mb="sm" onClick={() => setEditing(true)} data-testid="edit-demographics">
                Edit demographics
              </Button>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Card withBorder>
                  <Title order={4}>Contact</Title>
                  <Text>Phone: {p.phone ?? '—'}</Text>
                  <Text>Email: {p.email ?? '—'}</Text>
                  <Text>Address: {addr || '—'}</Text>
                  <Text>Preferred language: {p.preferredLanguage ?? '—'}</Text>
                </Card>
                {!can('billing.coverages') && (
                  <Card withBorder>
                    <Title order={4}>Insurance</Title>
                    <Text>Payer: {p.insurance.payer ?? '—'}</Text>
                    <Text>Member ID: {p.insurance.memberId ?? '—'}</Text>
                    <Text>Group: {p.insurance.groupNumber ?? '—'}</Text>
                  </Card>
                )}
                <Card withBorder data-testid="emergency-contact">
                  <Title order={4}>Emergency contact</Title>
                  {p.emergencyContact.name ? (
                    <Text>
                      {p.emergencyContact.name}
                      {p.emergencyContact.relationship ? ` (${p.emergencyContact.relationship})` : ''} · {p.emergencyContact.phone ?? 'no phone'}
                    </Text>
                  ) : (
                    <Text c="dimmed">None recorded: ask at check-in</Text>
                  )}
                </Card>
                <Card withBorder data-testid="guarantor">
                  <Title order={4}>Guarantor</Title>
                  {p.guarantor.relationship === 'self' ? (
                    <Text>The patient (self)</Text>
                  ) : p.guarantor.relationship ? (
                    <>
                      <Text>
                        {p.guarantor.name ?? '—'} ({p.guarantor.relationship})
                      </Text>
                      <Text>Phone: {p.guarantor.phone ?? '—'}</Text>
                      <Text>Address: {p.guarantor.address ?? '—'}</Text>
                    </>
                  ) : (
                    <Text c="dimmed">None recorded</Text>
                  )}
                </Card>
              </SimpleGrid>
              {can('billing.coverages') && <CoveragePanel patientId={patientId} />}
              {can('billing.account') && <PatientAccount patientId={patientId} />}
              {can('portal.access') && <PortalAccessCard patientId={patientId} />}
              <Text size="xs" c="dimmed" mt="xs">
                Registered {new Date(p.createdAt).toLocaleString()} · record version {p.version}
              </Text>
            </>
          )}
        </Tabs.Panel>
      </Tabs>
      <Modal opened={starting} onClose={() => setStarting(false)} title="Start a visit">
        <Stack>
          <Select
            label="Visit type"
            data-autofocus
            data={VISIT_TYPES.map((v) => ({ value: v, label: VISIT_TYPE_LABELS[v] }))}
            value={visit.visitType}
            onChange={(v) => setVisit({ ...visit, visitType: v ?? 'office_visit' })}
            allowDeselect={false}
          />
          <TextInput
            label="Reason for visit"
            value={visit.reason}
            onChange={(e) => setVisit({ ...visit, reason: e.currentTarget.value })}
            data-testid="visit-reason"
          />
          <Button onClick={() => void startVisit()}>Start</Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
