import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { AllergyStatus, Patient } from '../../../shared/domain/patient';
import { ageLabel, displayName } from '../../../shared/domain/patient';
import { clinicToday } from '../lib/clinic-day';
import { api } from '../lib/api';
import { ScreenTitle } from './ScreenTitle';

function AllergyBadge({ status }: { status: AllergyStatus }): ReactElement {
  switch (status.kind) {
    case 'unknown':
      return (
        <Badge color="orange" variant="filled" data-testid="allergy-status">
          Allergies not reviewed
        </Badge>
      );
    case 'nka':
      return (
        <Badge color="green" variant="light" data-testid="allergy-status">
          No known allergies
        </Badge>
      );
    case 'allergies':
      return (
        <Badge color="red" variant="filled" data-testid="allergy-status">
          Allergies: {status.substances.join(', ')}
        </Badge>
      );
  }
}

const SEX: Record<Patient['sex'], string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Sex unknown' };

/**
 * Who this chart belongs to, on every screen about one patient (chart, visit, results, medications,
 * notes): name, age (or date of death and age at death), sex, birth date, MRN, allergy status, and
 * whether the patient died or the chart is restricted. Wrong-patient charting starts where this is missing.
 */
export function PatientBanner({ patient, allergyStatus, screen }: { patient: Patient; allergyStatus: AllergyStatus; screen?: string }): ReactElement {
  const name = `${displayName(patient)}${patient.preferredName ? ` “${patient.preferredName}”` : ''}`;
  return (
    <Paper withBorder p="md" data-testid="patient-banner" data-deceased={patient.deceasedOn ? 'true' : undefined}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          {/* On a patient's screen the name is its h1: "Chart — Núñez, José" names the window. */}
          {screen ? <ScreenTitle title={`${screen} — ${displayName(patient)}`}>{name}</ScreenTitle> : <Title order={2}>{name}</Title>}
          <Group gap="md">
            <Text>
              <span data-testid="banner-age">{ageLabel(patient, clinicToday())}</span> · born {patient.birthDate}
            </Text>
            <Text>{SEX[patient.sex]}</Text>
            <Text>
              MRN <b>{patient.mrn}</b>
            </Text>
            {patient.phone && <Text>{patient.phone}</Text>}
          </Group>
        </Stack>
        <Group gap="xs">
          {patient.deceasedOn && (
            <Badge color="dark" variant="filled" data-testid="deceased-badge">
              Deceased
            </Badge>
          )}
          {patient.restricted && (
            <Badge color="grape" variant="filled" data-testid="restricted-badge">
              Restricted
            </Badge>
          )}
          <AllergyBadge status={allergyStatus} />
        </Group>
      </Group>
    </Paper>
  );
}

/** The banner of a screen that has only the patient's id (a visit): loads the chart header itself. */
export function PatientHeader({ patientId, screen }: { patientId: string; screen?: string }): ReactElement {
  const [header, setHeader] = useState<{ patient: Patient; allergyStatus: AllergyStatus } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api['patients.chartHeader']({ id: patientId }).then((r) => (r.ok ? setHeader(r.value) : setError(r.error.message))), [patientId]);
  if (error)
    return (
      <Alert color="red" data-testid="patient-banner-error">
        {error}
      </Alert>
    );
  if (!header) return <Loader size="sm" />;
  return <PatientBanner patient={header.patient} allergyStatus={header.allergyStatus} {...(screen && { screen })} />;
}
