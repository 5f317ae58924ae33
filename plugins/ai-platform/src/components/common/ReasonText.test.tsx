import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ReasonText } from './ReasonText';

describe('ReasonText', () => {
  it("links the runbook and gives Kueue 0.19's name for the reason", async () => {
    await renderInTestApp(
      <ReasonText
        reason={{
          code: 'QuotaExhausted',
          message: 'Waiting for quota in ClusterQueue cq-a',
          kueueReason: 'WaitingForQuota',
        }}
      />,
    );
    expect(screen.getByRole('link', { name: 'Runbook for QuotaExhausted' })).toBeInTheDocument();
    expect(screen.getByText('· Kueue: WaitingForQuota', { exact: false })).toBeInTheDocument();
  });

  it('says nothing more when Kueue uses the same name, or gives none', async () => {
    await renderInTestApp(
      <ReasonText reason={{ code: 'NoMatchingFlavor', message: 'No flavor fits', kueueReason: 'NoMatchingFlavor' }} />,
    );
    expect(screen.queryByText(/Kueue:/)).toBeNull();
  });
});
