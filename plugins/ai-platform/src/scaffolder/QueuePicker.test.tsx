import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fleetApi, renderField } from './__testUtils__/renderField';
import { QueuePicker, validateQueuePick } from './QueuePicker';

describe('AiPlatformQueuePicker', () => {
  it("offers the owning team's queue with what waits in it and its free GPU quota, merged across clusters", async () => {
    const { onChange } = await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner', namespaceFrom: 'namespace' },
      schema: { title: 'GPU queue' },
      form: { owner: 'group:default/ml-research' },
      groups: ['group:default/ml-research'],
    });
    // 3 + 1 pending; free quota (24-16) + 8 on gpu-east and 24 + 8 on gpu-west; MIG and CPU quota not counted.
    const radio = await screen.findByRole('radio', {
      name: 'ml-research (team-ml-research) · 4 pending · 48 GPUs of quota free',
    });
    expect(screen.queryByRole('radio', { name: /llm-serving/ })).not.toBeInTheDocument();
    // The only queue is chosen for the user.
    await waitFor(() => expect(radio).toBeChecked());
    expect(onChange).toHaveBeenCalledWith('ml-research');
  });

  it("offers the signed-in user's teams' queues when no owner is chosen yet, and lets them choose", async () => {
    const { onChange } = await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner' },
      groups: ['group:default/ml-research', 'group:default/llm-serving'],
    });
    const serving = await screen.findByRole('radio', {
      name: /^llm-serving \(team-llm-serving\) · 7 pending · 0 GPUs of quota free$/,
    });
    expect(screen.getByRole('radio', { name: /^ml-research/ })).not.toBeChecked();
    await userEvent.click(serving);
    expect(onChange).toHaveBeenLastCalledWith('llm-serving');
    expect(serving).toBeChecked();
  });

  it('filters by the namespace field when it is filled in, and clears a choice the namespace has no queue for', async () => {
    const { onChange } = await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner', namespaceFrom: 'namespace' },
      form: { owner: 'group:default/ml-research', namespace: 'team-llm-serving' },
      value: 'ml-research',
      groups: ['group:default/llm-serving'],
    });
    expect(await screen.findByRole('radio', { name: /^llm-serving/ })).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: /^ml-research/ })).not.toBeInTheDocument();
    expect(onChange).toHaveBeenCalledWith(undefined);
  });

  it('marks queues of teams the user is not in, says only admins may submit there, and does not choose one for them', async () => {
    const { onChange } = await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner' },
      form: { owner: 'group:default/ml-research' },
      groups: ['group:default/platform-team'],
    });
    const radio = await screen.findByRole('radio', { name: /^ml-research \(team-ml-research\) · .* · not your team$/ });
    expect(
      screen.getByText(
        /belong to teams you are not a member of \(yours: platform-team\): only platform admins may submit/,
      ),
    ).toBeInTheDocument();
    expect(radio).not.toBeChecked();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('says what to do when no queue serves the team', async () => {
    await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner' },
      form: { owner: 'group:default/platform-team' },
    });
    expect(await screen.findByText(/No GPU queue serves team platform-team\. Pick another owner/)).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

  it("asks for the owning team when none of the user's teams has a queue", async () => {
    await renderField<string>(QueuePicker, {
      api: fleetApi(),
      uiOptions: { ownerFrom: 'owner' },
      groups: ['group:default/guests'],
    });
    expect(await screen.findByText(/No GPU queue serves team guests\. Choose the owning team/)).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderField<string>(QueuePicker, {
      api: { listQueues: async () => Promise.reject(new Error('backend down')) },
      uiOptions: {},
      groups: ['group:default/ml-research'],
    });
    expect(await screen.findByText(/backend down/)).toBeInTheDocument();
  });

  it('rejects an empty choice with a sentence that says what to do', () => {
    const addError = jest.fn();
    validateQueuePick(undefined as unknown as string, { addError } as never, {} as never);
    expect(addError).toHaveBeenCalledWith(expect.stringMatching(/^Choose a GPU queue/));
    addError.mockClear();
    validateQueuePick('ml-research', { addError } as never, {} as never);
    expect(addError).not.toHaveBeenCalled();
  });
});
