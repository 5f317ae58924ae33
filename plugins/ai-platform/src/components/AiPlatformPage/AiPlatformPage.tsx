import { Content, Header, Page } from '@backstage/core-components';

/** The AI Platform page: fleet capacity, queues, pending workloads and costs. */
export const AiPlatformPage = () => (
  <Page themeId="tool">
    <Header
      title="AI Platform"
      subtitle="GPU queues, quotas and costs across your clusters"
    />
    <Content>
      <div data-testid="ai-platform-page" />
    </Content>
  </Page>
);
