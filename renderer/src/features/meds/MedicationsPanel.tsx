import { Alert, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { MedicationCourse } from '../../../../shared/domain/medications';
import { FREQUENCIES } from '../../../../shared/domain/sig';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useSession } from '../../stores/session.store';
import { AlertList } from './AlertList';
import { DrugPicker, type DrugHit } from './DrugPicker';
import { PrescribeDialog } from './PrescribeDialog';
import { ClickableRow } from '../../components';
import { ConfidentialMark, useConfidentialMarks } from '../portal';

type Check = Out<'meds.check'>;

/** Prescribed courses store the frequency code ("bid"); show the words ("twice daily"). */
function frequencyLabel(f: string | null): string | null {
  return f && f in FREQUENCIES ? FREQUENCIES[f as keyof typeof FREQUENCIES].label : f;
}

/** Add a medication the patient reports: from the drug list (checked) or as free text (uncoded, not checked). */
function AddReported({ patientId, onDone }: { patientId: string; onDone: () => void }): ReactElement {
  const [query, setQuery] = useState('');
  const [drug, setDrug] = useState<DrugHit | null>(null);
  const [dose, setDose] = useState('');
  // The check answers one drug: kept with its RXCUI so an answer for an earlier choice is never shown.
  const [check, setCheck] = useState<{ rxcui: string; result: Check } | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const rxcui = drug?.rxcui ?? null;
  useEffect(() => {
    if (rxcui) void api['meds.check']({ patientId, rxcui }).then((r) => r.ok && setCheck({ rxcui, result: r.value }));
  }, [rxcui, patientId]);
  const current = check && check.rxcui === rxcui ? check.result : null;
  const save = async (): Promise<void> => {
    const overrides = (current?.alerts ?? [])
      .filter((a) => (reasons[a.ruleId] ?? '').trim())
      .map((a) => ({ ruleId: a.ruleId, reason: reasons[a.ruleId]!.trim() }));
    const r = await api['meds.add']({
      patientId,
      ...(rxcui ? { rxcui } : { name: query.trim() }),
      ...(dose && { dose }),
      source: 'patient-reported',
      overrides,
    });
    if (!r.ok) return setError(r.error.message);
    setQuery('');
    setDrug(null);
    setDose('');
    setReasons({});
    setError(null);
    setGeneration((g) => g + 1); // a fresh, empty picker
    onDone();
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <DrugPicker
          key={generation}
          label="Patient reports taking"
          placeholder="Drug name (or type free text)"
          value={drug}
          onChange={(d) => {
            setDrug(d);
            setReasons({});
          }}
          onQueryChange={setQuery}
          w={360}
          testId="reported-drug"
        />
        <TextInput label="Dose as taken" value={dose} onChange={(e) => setDose(e.currentTarget.value)} w={160} data-testid="reported-dose" />
        <Button variant="light" disabled={rxcui ? !current : !query.trim()} onClick={() => void save()} data-testid="reported-add">
          {rxcui ? 'Add' : 'Add uncoded'}
        </Button>
      </Group>
      {rxcui && (
        <Text size="xs" c="teal" data-testid="reported-coded">
          From the drug list (RxNorm {rxcui}): safety checks run on it.
        </Text>
      )}
      {!rxcui && query.trim() && (
        <Text size="xs" c="orange" data-testid="reported-uncoded">
          Not chosen from the drug list: it will be recorded uncoded and no safety checks will run on it.
        </Text>
      )}
      {current && (
        <AlertList alerts={current.alerts} reasons={reasons} onReason={(id, r) => setReasons({ ...reasons, [id]: r })} uncoded={current.uncodedNotChecked} />
      )}
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}

/** Reconciliation at a visit: a decision for every current medication, then "reconciled by X at T". */
function Reconcile({ patientId, courses, onDone }: { patientId: string; courses: MedicationCourse[]; onDone: () => void }): ReactElement {
  const active = courses.filter((c) => c.status === 'active');
  const [decisions, setDecisions] = useState<Record<string, { action: string; dose: string; reason: string }>>(
    Object.fromEntries(active.map((c) => [c.courseId, { action: 'continue', dose: c.dose ?? '', reason: '' }])),
  );
  const [error, setError] = useState<string | null>(null);
  const submit = async (): Promise<void> => {
    const items = active.map((c) => {
      const d = decisions[c.courseId] ?? { action: 'continue', dose: '', reason: '' };
      if (d.action === 'change') return { courseId: c.courseId, action: 'change' as const, dose: d.dose, reason: d.reason };
      if (d.action === 'stop') return { courseId: c.courseId, action: 'stop' as const, reason: d.reason };
      return { courseId: c.courseId, action: 'continue' as const };
    });
    const r = await api['meds.reconcile']({ patientId, items });
    if (!r.ok) return setError(r.error.message);
    onDone();
  };
  return (
    <Stack data-testid="reconcile">
      {active.map((c) => {
        const d = decisions[c.courseId] ?? { action: 'continue', dose: '', reason: '' };
        const set = (patch: Partial<typeof d>): void => setDecisions({ ...decisions, [c.courseId]: { ...d, ...patch } });
        return (
          <Group key={c.courseId} align="flex-end">
            <Text w={260} fw={600}>
              {c.drugName}{' '}
              {c.uncoded && (
                <Badge size="xs" color="yellow">
                  uncoded
                </Badge>
              )}
            </Text>
            <SegmentedControl
              value={d.action}
              onChange={(a) => set({ action: a })}
              data={[
                { value: 'continue', label: 'Continue' },
                { value: 'change', label: 'Change' },
                { value: 'stop', label: 'Stop' },
              ]}
            />
            {d.action === 'change' && <TextInput size="xs" label="New dose" value={d.dose} onChange={(e) => set({ dose: e.currentTarget.value })} />}
            {d.action !== 'continue' && <TextInput size="xs" label="Reason" value={d.reason} onChange={(e) => set({ reason: e.currentTarget.value })} />}
          </Group>
        );
      })}
      {active.length === 0 && <Text c="dimmed">No current medications: reconciling records that the list was reviewed and is empty.</Text>}
      {error && <Alert color="red">{error}</Alert>}
      <Button onClick={() => void submit()} data-testid="reconcile-submit">
        Mark reconciled
      </Button>
    </Stack>
  );
}

/**
 * The medication list on the chart: current and stopped, each with its history; prescribe, add,
 * stop, reconcile. For a patient who died (`deceasedOn`) the list is shown as it was, with no
 * prescribing or reconciling (the backend refuses a prescription too).
 */
export function MedicationsPanel({ patientId, deceasedOn = null }: { patientId: string; deceasedOn?: string | null }): ReactElement {
  const role = useSession((s) => s.session?.user?.role);
  const [data, setData] = useState<Out<'meds.list'> | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [mode, setMode] = useState<'none' | 'prescribe' | 'reconcile' | 'stop'>('none');
  const [stopping, setStopping] = useState<{ courseId: string; reason: string } | null>(null);
  const [lastRx, setLastRx] = useState<string | null>(null);
  const load = useCallback(() => void api['meds.list']({ patientId }).then((r) => r.ok && setData(r.value)), [patientId]);
  useEffect(load, [load]);
  const marks = useConfidentialMarks(patientId);
  if (!data) return <Text c="dimmed">Loading…</Text>;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={4}>{deceasedOn ? `Medications at death (${deceasedOn})` : 'Medications'}</Title>
        {!deceasedOn && (
          <Group>
            {role === 'physician' && (
              <Button onClick={() => setMode('prescribe')} data-testid="prescribe">
                Prescribe
              </Button>
            )}
            <Button variant="light" onClick={() => setMode('reconcile')} data-testid="open-reconcile">
              Reconcile
            </Button>
            {lastRx && (
              <Button
                variant="default"
                onClick={() => void api['meds.prescriptionPdf']({ id: lastRx }).then((r) => r.ok && downloadPdf(r.value.fileName, r.value.base64))}
              >
                Print prescription
              </Button>
            )}
          </Group>
        )}
      </Group>
      {data.lastReconciliation && (
        <Text size="sm" c="dimmed" data-testid="reconciled-by">
          Reconciled by {data.lastReconciliation.reconciledBy} at {new Date(data.lastReconciliation.reconciledAt).toLocaleString()}
        </Text>
      )}
      <Table data-testid="med-list">
        <Table.Tbody>
          {data.courses.map((c) => (
            <Fragment key={c.courseId}>
              <ClickableRow
                style={c.status === 'active' ? undefined : { color: 'var(--mantine-color-dimmed)' }}
                onActivate={() => setOpen(open === c.courseId ? null : c.courseId)}
              >
                <Table.Td fw={600}>{c.drugName}</Table.Td>
                <Table.Td>{[c.dose, c.route, frequencyLabel(c.frequency)].filter(Boolean).join(' ')}</Table.Td>
                <Table.Td>
                  {c.uncoded && (
                    <Badge color="yellow" size="sm">
                      uncoded: no checks ran
                    </Badge>
                  )}
                  {marks && <ConfidentialMark patientId={patientId} recordType="medication_event" recordId={c.courseId} itemLabel={c.drugName} />}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={c.status === 'active' ? 'teal' : 'gray'}>
                    {c.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {c.status === 'active' && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={(e) => {
                        e.stopPropagation();
                        setStopping({ courseId: c.courseId, reason: '' });
                      }}
                    >
                      Stop
                    </Button>
                  )}
                </Table.Td>
              </ClickableRow>
              {open === c.courseId &&
                c.events.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td colSpan={5}>
                      <Text size="xs" c="dimmed">
                        {new Date(e.at).toLocaleString()} · {e.event} · {e.dose ?? ''} · {e.source} · {e.by ?? ''}
                        {e.reason ? ` · ${e.reason}` : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Fragment>
          ))}
          {data.courses.length === 0 && (
            <Table.Tr>
              <Table.Td>
                <Text c="dimmed">No medications recorded.</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <AddReported patientId={patientId} onDone={load} />
      <PrescribeDialog
        patientId={patientId}
        opened={mode === 'prescribe'}
        onClose={() => setMode('none')}
        onDone={(id) => {
          setLastRx(id);
          setMode('none');
          load();
        }}
      />
      <Modal opened={mode === 'reconcile'} onClose={() => setMode('none')} title="Medication reconciliation" size="xl">
        <Reconcile
          patientId={patientId}
          courses={data.courses}
          onDone={() => {
            setMode('none');
            load();
          }}
        />
      </Modal>
      <Modal opened={stopping !== null} onClose={() => setStopping(null)} title="Stop medication">
        <Stack>
          <TextInput
            label="Reason"
            data-autofocus
            value={stopping?.reason ?? ''}
            onChange={(e) => stopping && setStopping({ ...stopping, reason: e.currentTarget.value })}
          />
          <Button
            disabled={(stopping?.reason.trim().length ?? 0) < 3}
            onClick={() =>
              stopping &&
              void api['meds.stop']({ courseId: stopping.courseId, reason: stopping.reason }).then(() => {
                setStopping(null);
                load();
              })
            }
          >
            Stop
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
