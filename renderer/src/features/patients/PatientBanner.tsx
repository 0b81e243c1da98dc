import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import type { AllergyStatus, Patient } from '../../../../shared/domain/patient';
import { displayName } from '../../../../shared/domain/patient';
import { formatAge, isoToday } from '../../../../shared/domain/dates';

function AllergyBadge({ status }: { status: AllergyStatus }): ReactElement {
  switch (status.kind) {
    case 'unknown':
      return <Badge color="orange" variant="filled" data-testid="allergy-status">Allergies not reviewed</Badge>;
    case 'nka':
      return <Badge color="green" variant="light" data-testid="allergy-status">No known allergies</Badge>;
    case 'allergies':
      return <Badge color="red" variant="filled" data-testid="allergy-status">Allergies: {status.substances.join(', ')}</Badge>;
  }
}

/** Who this chart belongs to, always visible: name, age, sex, MRN, allergy status, and whether the chart is restricted. */
export function PatientBanner({ patient, allergyStatus }: { patient: Patient; allergyStatus: AllergyStatus }): ReactElement {
  return (
    <Paper withBorder p="md" data-testid="patient-banner">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{displayName(patient)}{patient.preferredName ? ` “${patient.preferredName}”` : ''}</Title>
          <Group gap="md">
            <Text>
              {formatAge(patient.birthDate, isoToday())} · born {patient.birthDate}
            </Text>
            <Text tt="capitalize">{patient.sex}</Text>
            <Text>MRN <b>{patient.mrn}</b></Text>
            {patient.phone && <Text>{patient.phone}</Text>}
          </Group>
        </Stack>
        <Group gap="xs">
          {patient.restricted && <Badge color="grape" variant="filled" data-testid="restricted-badge">Restricted</Badge>}
          <AllergyBadge status={allergyStatus} />
        </Group>
      </Group>
    </Paper>
  );
}
