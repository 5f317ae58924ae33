export { AiPlatformPage } from './AiPlatformPage';
