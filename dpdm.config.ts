// The import-cycle check of scripts/test (`yarn dpdm`). Type-only imports count too: two modules
// that need each other's types are one design split in two.
export default {
  files: [
    'plugins/*/src/**/*.{ts,tsx}',
    'packages/*/src/**/*.{ts,tsx}',
    'plugins/*/bench/**/*.ts',
    'packages/*/bench/**/*.ts',
  ],
  circular: true,
  tree: false,
  warning: false,
  exitCode: 'circular:1',
  // Edges left out of the check, as ISSUER:DEPENDENCY paths.
  skipImports: [],
};
