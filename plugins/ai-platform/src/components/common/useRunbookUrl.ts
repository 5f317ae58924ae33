import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import type { ReasonCode } from '@ai-platform/backstage-plugin-ai-platform-common';
import { runbookUrl } from './format';

/** Links to runbooks in the TechDocs entity `aiPlatform.runbooks.entityRef` names, or the shipped default. */
export function useRunbookUrl(): (code: ReasonCode) => string {
  // Optional: components rendered without a config API (tests, other apps' previews) use the default.
  const entityRef = useApiHolder().get(configApiRef)?.getOptionalString('aiPlatform.runbooks.entityRef');
  return code => runbookUrl(code, entityRef);
}
