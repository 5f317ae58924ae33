export interface Config {
  aiPlatform?: {
    runbooks?: {
      /**
       * The catalog entity whose TechDocs hold the runbooks the cards link to.
       * @visibility frontend
       */
      entityRef?: string;
    };
  };
}
