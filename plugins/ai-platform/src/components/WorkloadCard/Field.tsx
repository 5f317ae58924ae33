import type { ReactNode } from 'react';
import { Flex, Text } from '@backstage/ui';

/** A labelled value in a workload's details. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex gap="2" align="start">
      <Text as="span" variant="body-small" weight="bold" style={{ minWidth: 140, flexShrink: 0 }}>
        {label}
      </Text>
      <Text as="div" variant="body-small">
        {children}
      </Text>
    </Flex>
  );
}

/** A titled part of the workload tab. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Text as="h4" variant="title-x-small" style={{ margin: '8px 0 4px' }}>
        {title}
      </Text>
      {children}
    </section>
  );
}
