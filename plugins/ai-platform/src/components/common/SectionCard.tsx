import type { ReactNode } from 'react';
import { Card, CardBody, CardHeader, Text } from '@backstage/ui';

/** A card with a small title, as the AI Platform views stack them. */
export function SectionCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <Text variant="title-x-small">{title}</Text>
      </CardHeader>
      <CardBody>{children}</CardBody>
    </Card>
  );
}
