import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { GangSlotSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { GangSlots } from './GangSlots';

const rack: GangSlotSummary = {
  cluster: 'gpu-east',
  flavor: 'h100',
  resource: 'nvidia.com/gpu',
  level: 'cloud.provider.com/topology-rack',
  domain: 'rack-1',
  nodes: 4,
  freeGpus: 24,
  gangs: [
    { size: 8, physical: 3, withinQuota: { 'ml-research': 1, agents: 0, 'llm-serving': 2 } },
    { size: 32, physical: 0, withinQuota: { 'ml-research': 0 } },
  ],
};

describe('free gang slots', () => {
  it('says per topology domain how many gangs fit physically and within which queues’ quota', async () => {
    await renderInTestApp(<GangSlots slots={[rack]} />);
    const row = within(screen.getByRole('grid', { name: 'Free gang slots' })).getAllByRole('row')[1];
    expect(row).toHaveTextContent('rack-1topology-rack · h100 · gpu-east');
    expect(row).toHaveTextContent('3within quota: llm-serving 2, ml-research 1');
    expect(row).toHaveTextContent('0within no queue’s quota');
  });
});
