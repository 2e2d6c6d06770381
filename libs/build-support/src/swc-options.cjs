// How TypeScript is compiled for jest and for the service builds: SWC with legacy decorators and
// their metadata, which Nest's dependency injection reads.
module.exports = function swcOptions(moduleType) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: moduleType },
    sourceMaps: true,
  };
};
