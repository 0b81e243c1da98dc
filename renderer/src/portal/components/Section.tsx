import { Box, Title } from '@mantine/core';
import { useId, type ReactElement, type ReactNode } from 'react';

/** A part of a screen: a region named by its h2, so landmarks and headings both lead to it. */
export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }): ReactElement {
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id} mt="lg" data-testid={testId}>
      <Title order={2} id={id} fz={{ base: 20, sm: 22 }} mb="xs">
        {title}
      </Title>
      {children}
    </Box>
  );
}
