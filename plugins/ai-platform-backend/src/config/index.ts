export { readAiPlatformConfig, type AiPlatformConfig } from './readAiPlatformConfig';
