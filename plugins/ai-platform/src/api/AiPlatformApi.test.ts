import { ResponseError } from '@backstage/errors';
import { AiPlatformClient } from './AiPlatformApi';

/** A fetchApi that records the requests and answers each with `answer`. */
function recordingFetch(answer: () => Response) {
  const requests: Request[] = [];
  return {
    requests,
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        requests.push(new Request(input, init));
        return answer();
      },
    },
  };
}

const discoveryApi = { getBaseUrl: async (pluginId: string) => `http://backstage/api/${pluginId}` };

describe('AiPlatformClient', () => {
  it('calls the routes of the spec with the filters as query parameters, through the fetchApi', async () => {
    const { requests, fetchApi } = recordingFetch(() => Response.json({ items: [], total: 0 }));
    const client = new AiPlatformClient({ discoveryApi, fetchApi });
    await expect(client.listWorkloads({ team: 'team-a', state: 'Pending' })).resolves.toEqual({ items: [], total: 0 });
    await client.showback({ window: '30d', aggregate: 'namespace', team: 'team-a' });
    await client.getWorkload({ cluster: 'gpu-east', namespace: 'team-a', kind: 'Job', name: 'a b' });
    expect(requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'GET http://backstage/api/ai-platform/workloads?team=team-a&state=Pending',
      'GET http://backstage/api/ai-platform/costs/showback?window=30d&aggregate=namespace&filter.team=team-a',
      'GET http://backstage/api/ai-platform/workloads/gpu-east/team-a/Job/a%20b',
    ]);
  });

  it("throws the backend's error, with its message, for an answer that is not 2xx", async () => {
    const { fetchApi } = recordingFetch(() =>
      Response.json(
        {
          error: { name: 'InputError', message: 'request/query/limit must be integer' },
          response: { statusCode: 400 },
        },
        { status: 400 },
      ),
    );
    const error = await new AiPlatformClient({ discoveryApi, fetchApi }).listQueues().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.body.error.message).toBe('request/query/limit must be integer');
  });
});
